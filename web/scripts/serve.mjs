// Serves the demo page: `npm run demo`, then open http://localhost:8080/demo/ (Rasa on localhost:5005).
import { createServer } from "node:http";
import { serveStatic } from "./static.mjs";

const port = Number(process.env.PORT ?? 8080);
createServer(async (req, res) => {
  if (!(await serveStatic(req, res))) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Ikke funnet");
  }
}).listen(port, "127.0.0.1", () => console.log(`Demo: http://localhost:${port}/demo/`));
