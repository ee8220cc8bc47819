/**
 * @module
 * Words of audiences: countries (ISO 3166-1 alpha-2), regions (ISO 3166-2 or a lower-case
 * name), languages (ISO 639-1) and loyalty tiers, plus the negation words that turn a rule
 * into its complement.
 */

const table = (rows: Record<string, string>): ReadonlyMap<string, string> =>
  new Map(
    Object.entries(rows).flatMap(([code, words]) =>
      words.split('|').map((w): [string, string] => [w, code]),
    ),
  );

/** Country word (normalised) → ISO code. Upper-case codes such as `US` are matched as written. */
export const COUNTRIES = table({
  US: 'united states|usa|america',
  GB: 'united kingdom|britain|great britain|england',
  IE: 'ireland',
  AU: 'australia',
  NZ: 'new zealand',
  CA: 'canada',
  MX: 'mexico',
  BR: 'brazil',
  AR: 'argentina',
  DE: 'germany',
  FR: 'france',
  ES: 'spain',
  IT: 'italy',
  NL: 'netherlands|holland',
  BE: 'belgium',
  CH: 'switzerland',
  AT: 'austria',
  SE: 'sweden',
  NO: 'norway',
  DK: 'denmark',
  FI: 'finland',
  PL: 'poland',
  PT: 'portugal',
  JP: 'japan',
  KR: 'south korea|korea',
  CN: 'china',
  IN: 'india',
  SG: 'singapore',
  ZA: 'south africa',
  AE: 'uae|united arab emirates',
});

/** Upper-case country codes as written in text. */
export const COUNTRY_CODES: ReadonlyMap<string, string> = new Map([
  ['US', 'US'],
  ['USA', 'US'],
  ['UK', 'GB'],
  ['GB', 'GB'],
]);

/** Region word → ISO 3166-2 code or lower-case region name. */
export const REGIONS = table({
  'US-CA': 'california',
  'US-OR': 'oregon',
  'US-WA': 'washington|washington state',
  'US-NY': 'new york|new york state',
  'US-TX': 'texas',
  'US-FL': 'florida',
  'US-IL': 'illinois',
  'US-MA': 'massachusetts',
  'US-NV': 'nevada',
  'US-AZ': 'arizona',
  'US-CO': 'colorado',
  'US-GA': 'georgia',
  'US-NJ': 'new jersey',
  'US-PA': 'pennsylvania',
  'US-OH': 'ohio',
  'US-MI': 'michigan',
  'US-NC': 'north carolina',
  'US-SC': 'south carolina',
  'US-VA': 'virginia',
  'US-MD': 'maryland',
  'US-CT': 'connecticut',
  'US-MN': 'minnesota',
  'US-WI': 'wisconsin',
  'US-TN': 'tennessee',
  'US-MO': 'missouri',
  'US-IN': 'indiana',
  'US-UT': 'utah',
  'US-OK': 'oklahoma',
  'US-LA': 'louisiana',
  'US-KY': 'kentucky',
  'US-AL': 'alabama',
  'US-HI': 'hawaii',
  'US-AK': 'alaska',
  'US-NM': 'new mexico',
  'US-DC': 'washington dc|dc',
  'CA-AB': 'alberta',
  'CA-ON': 'ontario',
  'CA-QC': 'quebec',
  'CA-BC': 'british columbia',
  europe: 'europe|eu',
  emea: 'emea',
  apac: 'apac',
  latam: 'latam|latin america',
  'north america': 'north america',
});

/** Language adjective → ISO 639-1 code. */
export const LANGUAGES = table({
  en: 'english',
  fr: 'french',
  de: 'german',
  es: 'spanish',
  pt: 'portuguese',
  it: 'italian',
  nl: 'dutch',
  ja: 'japanese',
  zh: 'chinese|mandarin',
  ko: 'korean',
  ar: 'arabic',
  hi: 'hindi',
  pl: 'polish',
  sv: 'swedish',
  ru: 'russian',
  ca: 'catalan',
});

/** Loyalty tier words. */
export const TIERS = new Set(['bronze', 'silver', 'gold', 'platinum', 'diamond', 'vip', 'elite']);

/** Words that negate what follows in their clause ("exclude", "hasn't", "nobody"). */
export const NEGATIONS = new Set(
  'exclude excluding except skip nobody not no without minus never hasnt havent didnt dont doesnt hadnt isnt arent'.split(
    ' ',
  ),
);

/** Words that end the scope of a negation. */
export const SCOPE_BREAKS = new Set([',', ';', ':', '\n', '(', ')', '.', 'but', '-']);

/** People words that introduce an age ("anyone under 30"). */
export const PEOPLE = new Set(
  'anyone people customers users subscribers everyone those folks adults aged ages age members buyers shoppers recipients women men clients'.split(
    ' ',
  ),
);
