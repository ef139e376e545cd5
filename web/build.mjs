// Builds web/dist/samtale-chat.js: one self-contained file that a kommune embeds with one <script> tag.
// Designsystemet's CSS is inlined into the bundle; its tokens are declared on `:root` for whole pages,
// so we rewrite `:root` to `:host` to make them apply inside the widget's shadow DOM (and nowhere else).
import { build } from "esbuild";
import { readFile } from "node:fs/promises";

const watch = process.argv.includes("--watch");

/** Loads *.css as a string; Designsystemet's files get `:root` -> `:host` and their cascade layer. */
const cssAsText = {
  name: "css-as-text",
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      let css = await readFile(args.path, "utf8");
      if (args.path.includes("@digdir/designsystemet-css")) {
        css = css.replace(/:root\b/g, ":host");
        const layer = args.path.includes("/dist/theme/")
          ? null // the theme file declares its own ds.theme.* layers
          : args.path.endsWith("base.css")
            ? "ds.base"
            : "ds.components";
        if (layer) css = `@layer ${layer}{${css}}`;
      }
      return { contents: css, loader: "text" };
    });
  },
};

const options = {
  entryPoints: ["src/samtale-chat.ts"],
  outfile: "dist/samtale-chat.js",
  bundle: true,
  format: "iife",
  target: "es2020",
  minify: !watch,
  sourcemap: false,
  legalComments: "eof",
  plugins: [cssAsText],
  logLevel: "info",
};

if (watch) {
  const { context } = await import("esbuild");
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
