// A tiny static file handler for web/ (the demo page, the built widget, test pages). Development and tests
// only; kommuner serve dist/samtale-chat.js from their own web server or CDN.
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** Serves files under web/ (never outside it); returns false when nothing was found. */
export async function serveStatic(req, res) {
  const url = new URL(req.url ?? "/", "http://localhost");
  let path = decodeURIComponent(url.pathname);
  if (path === "/") path = "/demo/";
  if (path.endsWith("/")) path += "index.html";
  const file = normalize(join(WEB_ROOT, path));
  if (!file.startsWith(WEB_ROOT + "/") || file.includes("node_modules")) return false;
  try {
    if (!(await stat(file)).isFile()) return false;
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
    return true;
  } catch {
    return false;
  }
}
