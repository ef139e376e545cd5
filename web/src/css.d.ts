// CSS files are bundled as strings by build.mjs.
declare module "*.css" {
  const css: string;
  export default css;
}
