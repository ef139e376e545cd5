import { expect, test } from "@playwright/test";
import { findPhoneNumbers, hasUrgentNumber } from "../../src/phone-numbers";

const numbers = (text: string) => findPhoneNumbers(text).map((m) => [m.text, m.tel, m.urgent]);

test.describe("phone numbers", () => {
  test("finds the shapes Norwegian numbers are written in", () => {
    expect(numbers("Ring 113 nå.")).toEqual([["113", "113", true]]);
    expect(numbers("Legevakt: 116 117 (døgnåpen)")).toEqual([["116 117", "116117", true]]);
    expect(numbers("Kirkens SOS: 22 40 00 40.")).toEqual([["22 40 00 40", "22400040", false]]);
    expect(numbers("Kors på halsen 800 33 321")).toEqual([["800 33 321", "80033321", false]]);
    expect(numbers("Ring 21494921 eller +47 21 49 49 21")).toEqual([
      ["21494921", "21494921", false],
      ["+47 21 49 49 21", "+4721494921", false],
    ]);
    expect(numbers("Ring 113, eller legevakt på 116 117.")).toHaveLength(2);
  });

  test("leaves other numbers alone", () => {
    for (const text of [
      "Siden 1. september 2015.",
      "Pasientrettighetsloven § 4-9.",
      "Kl. 11.30 og 11:45.",
      "Fødselsnummer 12345678901 skal du ikke skrive her.",
      "Det tar 21 dager.",
      "Meld. St. 24 (2019–2020) punkt 5.1.2",
      "1130 mennesker",
      "Bus 1113 går",
    ]) {
      expect(findPhoneNumbers(text), text).toEqual([]);
    }
  });

  test("only emergency and 116 numbers count as urgent", () => {
    expect(hasUrgentNumber("Ring 113.")).toBe(true);
    expect(hasUrgentNumber("Hjelpetelefonen 116 123.")).toBe(true);
    expect(hasUrgentNumber("Veiledning: 23 32 70 00.")).toBe(false);
    expect(hasUrgentNumber("Ingen tall her.")).toBe(false);
  });
});
