import { expect, test } from "@playwright/test";
import { isCrisis, normaliseBotPayload, numbersMissingFromText, telLookup } from "../../src/bot-message";

test.describe("bot_uttered payloads", () => {
  test("text with Rasa's quick_replies", () => {
    expect(
      normaliseBotPayload({ text: "Velg", quick_replies: [{ content_type: "text", title: "Ja", payload: "/affirm" }] }),
    ).toEqual({ type: "message", message: { text: "Velg", quickReplies: [{ title: "Ja", payload: "/affirm" }], kind: null, imageSrc: null, numbers: [] } });
  });

  test("buttons and custom in one event", () => {
    const n = normaliseBotPayload({ text: "T", buttons: [{ title: "A", payload: "/a" }, { title: "" }], custom: { kind: "crisis" } });
    expect(n).toEqual({ type: "message", message: { text: "T", quickReplies: [{ title: "A", payload: "/a" }], kind: "crisis", imageSrc: null, numbers: [] } });
  });

  test("Rasa's custom event alone is a marker; with text it is a message", () => {
    expect(normaliseBotPayload({ kind: "summary" })).toEqual({ type: "marker", kind: "summary", numbers: [] });
    expect(normaliseBotPayload({ kind: "crisis", text: "Ring 113" })).toMatchObject({ type: "message", message: { kind: "crisis", text: "Ring 113" } });
  });

  test("numbers the server lists: their tel: links are used, bad ones dropped, missing ones found", () => {
    const n = normaliseBotPayload({
      text: "Ring Kirkens SOS på 22 40 00 40.",
      custom: {
        kind: "crisis",
        numbers: [
          { name: "Kirkens SOS", number: "22 40 00 40", tel: "tel:+4722400040" },
          { name: "Mental Helse Hjelpetelefonen", number: "116 123", tel: "javascript:alert(1)" },
          { name: "Ugyldig", number: "<b>" },
        ],
      },
    });
    if (n.type !== "message") throw new Error("expected a message");
    expect(n.message.numbers).toEqual([
      { name: "Kirkens SOS", number: "22 40 00 40", tel: "tel:+4722400040" },
      { name: "Mental Helse Hjelpetelefonen", number: "116 123", tel: "tel:116123" },
    ]);
    const lookup = telLookup(n.message.numbers);
    expect(lookup("22400040")).toBe("tel:+4722400040");
    expect(lookup("99999999")).toBeUndefined();
    expect(numbersMissingFromText(n.message.text, n.message.numbers).map((x) => x.number)).toEqual(["116 123"]);
  });

  test("the server's «prøv igjen» (kind unavailable) is a calm message whose helplines can be tapped", () => {
    const n = normaliseBotPayload({
      text: "Beklager, noe gikk galt hos meg. Prøv igjen om litt.\n\nTrenger du noen nå, kan du ringe:\n- Når det står om liv: 113",
      custom: { kind: "unavailable", numbers: [{ name: "Medisinsk nødtelefon", number: "113", tel: "tel:113" }] },
    });
    if (n.type !== "message") throw new Error("expected a message");
    expect(n.message.kind).toBe("unavailable");
    expect(isCrisis(n.message)).toBe(false); // not an alarm: the person may have asked anything
    expect(telLookup(n.message.numbers)("113")).toBe("tel:113");
  });

  test("odd payloads are ignored, unsafe images dropped", () => {
    expect(normaliseBotPayload(null)).toEqual({ type: "ignore" });
    expect(normaliseBotPayload(42)).toEqual({ type: "ignore" });
    expect(normaliseBotPayload({ text: "   " })).toEqual({ type: "ignore" });
    expect(normaliseBotPayload({ kind: "<script>" })).toEqual({ type: "ignore" });
    expect(normaliseBotPayload({ attachment: { type: "image", payload: { src: "javascript:alert(1)" } } })).toEqual({ type: "ignore" });
    expect(normaliseBotPayload({ attachment: { type: "image", payload: { src: "https://x.no/a.png" } } })).toMatchObject({
      type: "message",
      message: { imageSrc: "https://x.no/a.png" },
    });
  });

  test("crisis: by kind, or by an urgent number when no kind is given", () => {
    expect(isCrisis({ kind: "crisis", text: "Snakk med noen." })).toBe(true);
    expect(isCrisis({ kind: null, text: "Ring 116 123." })).toBe(true);
    expect(isCrisis({ kind: "welcome", text: "Er det akutt, ring 113." })).toBe(false);
    expect(isCrisis({ kind: null, text: "Veiledning: 23 32 70 00." })).toBe(false);
  });
});
