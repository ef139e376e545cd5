// The widget's stylesheet: Designsystemet's theme tokens and the few component styles we use (rewritten to
// `:host` at build time, see build.mjs), then the widget's own layout.
import theme from "@digdir/designsystemet-css/theme/designsystemet.css";
import base from "@digdir/designsystemet-css/base.css";
import button from "@digdir/designsystemet-css/button.css";
import input from "@digdir/designsystemet-css/input.css";
import label from "@digdir/designsystemet-css/label.css";
import alert from "@digdir/designsystemet-css/alert.css";
import link from "@digdir/designsystemet-css/link.css";
import widget from "./widget.css";

export const STYLES = ["@layer ds.theme, ds.base, ds.components;", theme, base, button, input, label, alert, link, widget].join("\n");
