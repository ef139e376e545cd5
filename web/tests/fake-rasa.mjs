// Test double for Rasa 3.6's socket.io channel (session_persistence: true), for the widget's own tests only.
// It speaks the same events (session_request/session_confirm/user_uttered/bot_uttered) and answers a few
// fixed trigger words with the payload shapes Rasa emits. It also serves web/ (built widget, test pages) and
// records what the widget sent: GET /__events, POST /__reset.
//
// Phone numbers in its answers are read from the project's verified list (content/helplines.yml), so the
// tests check that the widget links whatever numbers the server sends.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { Server } from "socket.io";
import { serveStatic, WEB_ROOT } from "../scripts/static.mjs";

const PORT = Number(process.env.FAKE_RASA_PORT ?? 4173);

/** id -> number, from content/helplines.yml (a flat list of "- id:" entries with a quoted "number:"). */
export function readHelplines(path = resolve(WEB_ROOT, "..", "content", "helplines.yml")) {
  const numbers = {};
  let id = null;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const idMatch = /^-\s+id:\s*(\S+)/.exec(line);
    if (idMatch) id = idMatch[1];
    const num = /^\s+number:\s*"([^"]+)"/.exec(line);
    if (num && id) numbers[id] = num[1];
  }
  return numbers;
}

const N = readHelplines();
for (const id of ["emergency_medical", "mental_helse", "kirkens_sos"]) {
  if (!N[id]) throw new Error(`fake-rasa: ${id} missing in content/helplines.yml`);
}

const CRISIS_TEXT =
  `Det du forteller, høres veldig tungt ut. Du trenger ikke å bære det alene.\n\n` +
  `Snakk med noen nå:\n- Mental Helse Hjelpetelefonen: ${N.mental_helse}\n- Kirkens SOS: ${N.kirkens_sos}\n\n` +
  `Er du i fare nå, ring ${N.emergency_medical}.`;

/** Like the project's crisis action: the numbers also as data, with the tel: link the server wants. */
const CRISIS_NUMBERS = ["mental_helse", "kirkens_sos", "emergency_medical"].map((id) => {
  const digits = N[id].replace(/\D/g, "");
  return { name: id, number: N[id], tel: digits.length === 8 ? `tel:+47${digits}` : `tel:${digits}` };
});

const SUMMARY_TEXT =
  "Mine ønsker\n- Jeg vil helst være hjemme den siste tiden.\n- Jeg vil at datteren min skal vite hva jeg ønsker.";

/** What the fake assistant answers: a list of "responses" in Rasa's domain shape. */
function answer(message) {
  const m = message.trim().toLowerCase();
  if (m === "hei" || m === "/greet")
    return [
      {
        text: "Hei. Jeg er en automatisk assistent. Hva vil du vite mer om?",
        buttons: [
          { title: "Hva er et livstestament?", payload: "/faq_livstestament" },
          { title: "Forhåndssamtale", payload: "/faq_forhandssamtale" },
        ],
      },
    ];
  if (m === "/faq_livstestament")
    return [{ text: "Et livstestament er en skriftlig beskjed om dine ønsker.\nDet kan handle om:\n- behandling\n- omsorg" }];
  if (m === "krise") return [{ text: CRISIS_TEXT, custom: { kind: "crisis", numbers: CRISIS_NUMBERS } }]; // one event
  if (m === "krise rasa") return [{ text: CRISIS_TEXT, custom: { data: { kind: "crisis" } } }]; // as Rasa 3.6 emits it
  if (m === "nummer") return [{ text: `Du kan ringe Mental Helse Hjelpetelefonen på ${N.mental_helse}.` }];
  if (m === "velkommen")
    return [{ text: `Velkommen. Er det akutt, ring ${N.emergency_medical}.`, custom: { kind: "welcome" } }];
  if (m === "oppsummering") return [{ text: SUMMARY_TEXT, custom: { kind: "summary" } }];
  if (m === "oppsummering rasa") return [{ text: SUMMARY_TEXT, custom: { data: { kind: "summary" } } }];
  if (m === "html") return [{ text: '<img src=x onerror="window.__xss=1"> <b>fet</b> <script>window.__xss=2</script>' }];
  if (m === "stille") return [];
  if (m === "vent") return [{ text: "Sent svar", delay: 1500 }];
  if (m === "/delete_conversation") return [{ text: "Samtalen er slettet." }];
  return [{ text: `Du skrev: ${message}` }];
}

const events = [];
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/__events") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(events));
    return;
  }
  if (url.pathname === "/__reset" && req.method === "POST") {
    events.length = 0;
    res.writeHead(204);
    res.end();
    return;
  }
  if (await serveStatic(req, res)) return;
  if (!res.headersSent && !url.pathname.startsWith("/socket.io")) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }
});

const io = new Server(server, { path: "/socket.io", cors: { origin: true } });

/** Emits one response the way Rasa's SocketIOOutput does (text split on blank lines, buttons on the last
 * part, then `custom` as its own event), except `custom` without `data`, which goes in the same event. */
function emitResponse(room, r) {
  if (r.custom && !r.custom.data) {
    io.to(room).emit("bot_uttered", { text: r.text, custom: r.custom });
    return;
  }
  const parts = r.text.trim().split("\n\n");
  parts.forEach((part, i) => {
    const payload = { text: part };
    if (r.buttons && i === parts.length - 1) {
      payload.quick_replies = r.buttons.map((b) => ({ content_type: "text", title: b.title, payload: b.payload }));
    }
    io.to(room).emit("bot_uttered", payload);
  });
  if (r.custom?.data) io.to(room).emit("bot_uttered", r.custom.data);
}

io.on("connection", (socket) => {
  socket.on("session_request", (data) => {
    const id = data?.session_id ?? Math.random().toString(16).slice(2).padEnd(32, "0");
    events.push({ event: "session_request", data });
    socket.join(id);
    socket.emit("session_confirm", id);
  });
  socket.on("user_uttered", (data) => {
    events.push({ event: "user_uttered", data });
    const room = data?.session_id;
    if (!room) return;
    // A short delay, like a real assistant, so the typing indicator can be seen.
    for (const r of answer(String(data.message ?? ""))) setTimeout(() => emitResponse(room, r), r.delay ?? 150);
  });
});

server.listen(PORT, "127.0.0.1", () => console.log(`fake-rasa listening on http://127.0.0.1:${PORT}`));
