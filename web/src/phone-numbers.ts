// Finds Norwegian phone numbers in bot text so they can be tappable `tel:` links. The numbers themselves come
// from the server's message (which reads the verified helpline list); the widget only knows their *shape*.
//
// Shapes (Norwegian numbering plan): 8 digits ("22 40 00 40", "800 33 321", "21494921"), the harmonised
// European helpline series 116 xxx ("116 123"), and the 3-digit emergency series 11x ("113").

export interface PhoneMatch {
  /** The number as written in the text. */
  text: string;
  start: number;
  end: number;
  /** Value for a `tel:` link: digits only, with a leading + kept. */
  tel: string;
  /** True for the emergency (11x) and 116 xxx helpline series: a message with one is shown as an alert. */
  urgent: boolean;
}

const SEP = "[ \\u00a0]";
const PHONE = new RegExp(
  "(?<![\\d+])(?:\\+47" + SEP + "?)?" +
    "(?:" +
    `\\d{2}${SEP}\\d{2}${SEP}\\d{2}${SEP}\\d{2}` + // 22 40 00 40
    `|\\d{3}${SEP}\\d{2}${SEP}\\d{3}` + // 800 33 321
    `|\\d{8}` + // 22400040
    `|116${SEP}?\\d{3}` + // 116 123
    "|11\\d" + // 113
    ")(?![\\d])",
  "g",
);

export function findPhoneNumbers(text: string): PhoneMatch[] {
  const found: PhoneMatch[] = [];
  for (const m of text.matchAll(PHONE)) {
    const written = m[0];
    const start = m.index ?? 0;
    const digits = written.replace(/[^\d+]/g, "");
    const national = digits.startsWith("+47") ? digits.slice(3) : digits;
    found.push({
      text: written,
      start,
      end: start + written.length,
      tel: digits,
      urgent: /^11\d$/.test(national) || /^116\d{3}$/.test(national),
    });
  }
  return found;
}

/** True when the text names an emergency or 116 helpline number. */
export function hasUrgentNumber(text: string): boolean {
  return findPhoneNumbers(text).some((m) => m.urgent);
}
