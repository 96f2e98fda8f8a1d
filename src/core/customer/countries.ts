/**
 * HubSpot's free-text country and locale values -> billwerk's ISO codes. Pure (Intl only).
 */

// Regions that Intl knows but that are no countries billwerk could bill to.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB']);
const EXTRA_COUNTRY_NAMES: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  holland: 'NL',
  'the netherlands': 'NL',
  'czech republic': 'CZ',
};

let countryIndex: { codes: Set<string>; byName: Map<string, string> } | undefined;

/** ISO-3166 alpha-2 codes with their English and German names (HubSpot's `country` is free text). */
function countries(): { codes: Set<string>; byName: Map<string, string> } {
  if (countryIndex) return countryIndex;
  const codes = new Set<string>();
  const byName = new Map<string, string>();
  const names = ['en', 'de'].map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }));
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      // Skip deprecated aliases (UK, DD, ...): Intl names them, but billwerk wants the canonical code.
      if (NOT_COUNTRIES.has(code) || canonicalRegion(code) !== code) continue;
      const english = names[0]!.of(code);
      if (!english || english === code) continue;
      codes.add(code);
      for (const display of names) byName.set(normalizeName(display.of(code) ?? code), code);
    }
  }
  for (const [name, code] of Object.entries(EXTRA_COUNTRY_NAMES)) byName.set(name, code);
  countryIndex = { codes, byName };
  return countryIndex;
}

function canonicalRegion(code: string): string {
  return Intl.getCanonicalLocales(`und-${code}`)[0]?.slice(4) ?? code;
}

function normalizeName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[.]/g, '').replace(/\s+/g, ' ').trim();
}

/** `DE`, `de`, `Germany`, `Deutschland` -> `DE`; undefined when it is no known country. */
export function toCountryCode(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const index = countries();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = canonicalRegion(trimmed.toUpperCase());
    return index.codes.has(code) ? code : undefined;
  }
  return index.byName.get(normalizeName(trimmed));
}

/** `de-DE`, `de_de`, `en` -> billwerk's `de-DE` / `en`; undefined when it does not look like a locale. */
export function toLocale(text: string | null | undefined): string | undefined {
  const match = text?.trim().match(/^([A-Za-z]{2})(?:[-_]([A-Za-z]{2}))?$/);
  if (!match) return undefined;
  const language = match[1]!.toLowerCase();
  return match[2] ? `${language}-${match[2].toUpperCase()}` : language;
}
