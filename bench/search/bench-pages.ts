/**
 * The bench store's pages (bench/search/run.ts, interleaved.ts): synthetic but real-looking ads in
 * Arabic, with and without diacritics, Persian, English, French and Italian, with prices and phone
 * numbers, each made from its index and a seeded random generator.
 */

const WORDS: Readonly<Record<string, readonly string[]>> = {
  ar: 'رحلة رِحْلَة مضمونة مَضْمُونَة قارب كبير آمن إلى إيطاليا ليبيا زوارة لامبيدوزا السعر دولار يورو للشخص الأطفال نصف الدفع عند الوصول للحجز واتساب تيليجرام الأماكن محدودة يوم الخميس الجمعة سترات نجاة البحر هادئ مع مرافق اليونان تركيا إزمير اليخت البلم ضمانة مكتب التأمين'.split(
    ' ',
  ),
  fa: 'انتقال مطمئن از ارومیه به ترکیه یونان می‌خواهید اروپا بروید با ما تماس بگیرید هزینه یورو تا آتن پرداخت در دفتر امانت استانبول شماره واتساپ کانال تلگرام کشتی بزرگ بدون خطر راهنمای فارسی‌زبان همراه شما'.split(
    ' ',
  ),
  en: 'crossing from the beach small boat leaving every week when weather is good price per adult children life jackets included payment through guarantor you pay only when arrive call or message safe fast driver car border documents passport'.split(
    ' ',
  ),
  fr: 'passage garanti du Maroc vers Espagne en zodiac rapide départ de Tanger traversée nuit arrivée à Tarifa avant aube gilets sauvetage fournis tarif par personne réduction pour les familles paiement hébergement possible prévenez'.split(
    ' ',
  ),
  it: 'viaggio sicuro per Lampedusa con barca grande partenza da Sfax ogni settimana prezzo a persona i bambini pagano la metà giubbotti di salvataggio per tutti perché aspettare posti limitati città è già pronta chiamate scrivete'.split(
    ' ',
  ),
};
const LANGUAGES = Object.keys(WORDS);
const DIGITS: Readonly<Record<string, string>> = { ar: '٠١٢٣٤٥٦٧٨٩', fa: '۰۱۲۳۴۵۶۷۸۹' };

/** One page's title and text: mostly one language, with a price, a phone number and a contact line. */
export function makePage(index: number, next: () => number): { title: string; text: string; url: string } {
  const language = LANGUAGES[index % LANGUAGES.length] ?? 'en';
  const words = WORDS[language] ?? [];
  const pick = () => words[Math.floor(next() * words.length)] ?? '';
  const digits = (n: number) =>
    String(n).replace(/\d/g, (d) => (DIGITS[language] ? (DIGITS[language]?.[Number(d)] ?? d) : d));
  const lines: string[] = [];
  const paragraphs = 3 + Math.floor(next() * 4);
  for (let p = 0; p < paragraphs; p++) {
    lines.push(Array.from({ length: 12 + Math.floor(next() * 20) }, pick).join(' '));
  }
  lines.push(
    `${digits(1000 + Math.floor(next() * 4000))} € · WhatsApp +${200 + Math.floor(next() * 700)} ${digits(Math.floor(next() * 1e9))}`,
  );
  // A rare word in one page of 10,000.
  if (index % 10_000 === 7) lines.push('Gravelines');
  const title = Array.from({ length: 5 }, pick).join(' ');
  return {
    title,
    text: lines.join('\n'),
    url: `https://www.facebook.com/groups/travel${index % 500}/posts/${index}`,
  };
}
