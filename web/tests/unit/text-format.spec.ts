import { expect, test } from "@playwright/test";
import { parseBotText, plainText } from "../../src/text-format";

test.describe("bot text", () => {
  test("paragraphs, line breaks and lists", () => {
    const blocks = parseBotText("Første linje\nandre linje\n\nDet kan handle om:\n- behandling\n- omsorg");
    expect(blocks).toEqual([
      { kind: "paragraph", inlines: [{ kind: "text", text: "Første linje" }, { kind: "break" }, { kind: "text", text: "andre linje" }] },
      { kind: "paragraph", inlines: [{ kind: "text", text: "Det kan handle om:" }] },
      { kind: "list", items: [[{ kind: "text", text: "behandling" }], [{ kind: "text", text: "omsorg" }]] },
    ]);
  });

  test("HTML stays text", () => {
    const blocks = parseBotText('<img src=x onerror="alert(1)"> <b>fet</b>');
    expect(blocks).toEqual([{ kind: "paragraph", inlines: [{ kind: "text", text: '<img src=x onerror="alert(1)"> <b>fet</b>' }] }]);
  });

  test("phone numbers, web links and bold become their own parts", () => {
    const [p] = parseBotText("Ring **116 123** eller **Kirkens SOS** på 22 40 00 40. Les https://www.helsenorge.no/livstestament.");
    expect(p).toEqual({
      kind: "paragraph",
      inlines: [
        { kind: "text", text: "Ring " },
        { kind: "strong", inlines: [{ kind: "phone", text: "116 123", tel: "tel:116123" }] },
        { kind: "text", text: " eller " },
        { kind: "strong", inlines: [{ kind: "text", text: "Kirkens SOS" }] },
        { kind: "text", text: " på " },
        { kind: "phone", text: "22 40 00 40", tel: "tel:22400040" },
        { kind: "text", text: ". Les " },
        { kind: "link", text: "https://www.helsenorge.no/livstestament", href: "https://www.helsenorge.no/livstestament" },
        { kind: "text", text: "." },
      ],
    });
  });

  test("a number inside a web address is not a phone link", () => {
    const [p] = parseBotText("Se https://example.no/side/22400040 her");
    expect(p).toEqual({
      kind: "paragraph",
      inlines: [
        { kind: "text", text: "Se " },
        { kind: "link", text: "https://example.no/side/22400040", href: "https://example.no/side/22400040" },
        { kind: "text", text: " her" },
      ],
    });
  });

  test("a tel: link the server listed wins over the widget's own", () => {
    const listed: Record<string, string> = { "22400040": "tel:+4722400040" };
    const [p] = parseBotText("Kirkens SOS: 22 40 00 40, Mental Helse: 116 123", (digits) => listed[digits]);
    expect(p).toEqual({
      kind: "paragraph",
      inlines: [
        { kind: "text", text: "Kirkens SOS: " },
        { kind: "phone", text: "22 40 00 40", tel: "tel:+4722400040" },
        { kind: "text", text: ", Mental Helse: " },
        { kind: "phone", text: "116 123", tel: "tel:116123" },
      ],
    });
  });

  test("only http(s) links are made", () => {
    const [p] = parseBotText("javascript:alert(1) og data:text/html,x");
    expect(p).toEqual({ kind: "paragraph", inlines: [{ kind: "text", text: "javascript:alert(1) og data:text/html,x" }] });
  });

  test("plain text for copying drops bold marks", () => {
    expect(plainText("**Mine ønsker**\n- hjemme\r\n")).toBe("Mine ønsker\n- hjemme");
  });
});
