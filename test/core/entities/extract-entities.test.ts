import { describe, expect, it } from 'vitest';
import { extractEntities, extractLinkEntities } from '../../../electron/core/entities/extract-entities.js';
import { normalisePhone } from '../../../electron/core/entities/phone.js';

/** The (type, value) pairs extracted from a text, in order. */
function pairs(text: string, hints = {}): string[] {
  return extractEntities(text, hints).map((e) => `${e.type} ${e.value}`);
}

describe('phone numbers are found and normalised to E.164', () => {
  it('reads international numbers anywhere, written with +, 00 or a trailing + left by right-to-left display', () => {
    expect(pairs('Call +218 91 234 5678, or 00393471234567; واتس 905325521234+')).toEqual([
      'phone +218912345678',
      'phone +393471234567',
      'phone +905325521234',
      'whatsapp +905325521234',
    ]);
  });

  it('a number the ad gives as a WhatsApp or Signal contact is also that account; a number merely near one is not', () => {
    expect(pairs('WhatsApp: +218 91 234 5678, or call +39 347 123 4567')).toEqual([
      'phone +218912345678',
      'whatsapp +218912345678',
      'phone +393471234567',
    ]);
    expect(pairs('شماره تماس و واتساپ: ۰۹۳۵ ۱۲۳ ۴۵۶۷', { lang: 'fa' })).toEqual([
      'phone +989351234567',
      'whatsapp +989351234567',
    ]);
    expect(pairs('للحجز: +٢١٨ ٩١ ٢٣٤ ٥٦٧٨ (واتساب وفايبر)')).toEqual([
      'phone +218912345678',
      'whatsapp +218912345678',
    ]);
    expect(pairs('Signal 0044 7911 123456 only')).toEqual(['phone +447911123456', 'signal +447911123456']);
    // The messenger named after the number, with its own link: the number is a phone only.
    expect(pairs('Appelez le +216 22 345 678 ou WhatsApp wa.me/21698765432')).toEqual([
      'phone +21622345678',
      'whatsapp +21698765432',
    ]);
  });

  it('reads national numbers in the region the page hints (language tag, country domain, a country the text names)', () => {
    expect(pairs('Tel 0912345678', { lang: 'ar-LY' })).toEqual(['phone +218912345678']);
    expect(pairs('Tel 347 123 4567', { lang: 'it' })).toEqual(['phone +393471234567']);
    expect(pairs('Tel 0532 552 1234', { url: 'https://ilan.example.com.tr/boat' })).toEqual([
      'phone +905325521234',
    ]);
    expect(pairs('رحلات من ليبيا، هاتف 0923456789')).toEqual(['phone +218923456789']);
  });

  it('without any hint, a national number is left alone rather than guessed', () => {
    expect(pairs('Tel 0912345678')).toEqual([]);
  });

  it('reads Arabic-Indic and Persian digits, and keeps the original as written with its offset', () => {
    const text = 'للتواصل: ٠٩١٢٣٤٥٦٧٨';
    const [phone] = extractEntities(text, { lang: 'ar-LY' });
    expect(phone).toEqual({ type: 'phone', value: '+218912345678', original: '٠٩١٢٣٤٥٦٧٨', offset: 9 });
    expect(pairs('تماس ۰۹۱۲ ۳۴۵ ۶۷۸۹', { lang: 'fa' })).toEqual(['phone +989123456789']);
    expect(normalisePhone('۰۹۱۲۳۴۵۶۷۸۹', ['IR'])).toBe('+989123456789');
  });

  it('reads a national number in Eastern digits in a named country that writes them, not in an earlier-named one', () => {
    // 0912345678 is valid in Italy too; written in Arabic-Indic digits it is the Libyan number.
    expect(pairs('رحلات إلى إيطاليا من ليبيا، واتساب ٠٩١ ٢٣٤ ٥٦٧٨')).toEqual([
      'phone +218912345678',
      'whatsapp +218912345678',
    ]);
    expect(pairs('Viaggi in Italia da Libia: 091 234 5678', { regions: ['IT', 'LY'] })).toEqual([
      'phone +390912345678',
    ]);
  });

  it('Persian script (digits or letters) is a last hint for Iran and Afghanistan, Ethiopic for Eritrea', () => {
    expect(pairs('شماره تماس: ۰۹۱۲۳۴۵۶۷۸۹')).toEqual(['phone +989123456789']);
    expect(pairs('تماس: 0701234567 کابل')).toEqual(['phone +93701234567']);
    expect(pairs('ስልኪ 07 123 456')).toEqual(['phone +2917123456']);
  });

  it('a national number written in one text with an international one takes its country', () => {
    expect(pairs('+218 91 234 5678 or 0923456789')).toEqual(['phone +218912345678', 'phone +218923456789']);
  });

  it('dates, times, prices, order numbers and IBAN digits are not phone numbers', () => {
    const hints = { lang: 'it' };
    expect(pairs('partenza 12/05/2024, 2024-05-12 o 12.05.2024 alle 21:30', hints)).toEqual([]);
    expect(pairs('ordine n. 3471234567; fattura 3471234567; Order #3471234567', hints)).toEqual([]);
    expect(pairs('prezzo 3.500 €', hints)).toEqual(['price 3500 EUR']);
    expect(pairs('IBAN IT60 X054 2811 1010 0000 0123 456', hints)).toEqual([
      'iban IT60X0542811101000000123456',
    ]);
  });
});

describe('messenger links', () => {
  it('WhatsApp: wa.me and api.whatsapp.com give the number in E.164; chat.whatsapp.com a group', () => {
    expect(
      pairs(
        'wa.me/218912345678 https://api.whatsapp.com/send?phone=393471234567&text=hi https://chat.whatsapp.com/HbR3kTq9XyZ2aB7cD4eF1g.',
      ),
    ).toEqual([
      'whatsapp +218912345678',
      'whatsapp +393471234567',
      'whatsapp chat.whatsapp.com/HbR3kTq9XyZ2aB7cD4eF1g',
    ]);
    expect(pairs('wa.me/12345')).toEqual([]);
  });

  it('Telegram: t.me and telegram.me accounts in lower case, invitations as written, @handles only near a mention of Telegram', () => {
    expect(
      pairs(
        'https://t.me/Libya_Sea_Travel/42 telegram.me/s/boat_news t.me/+AbCdEfGhIjKlMnOp t.me/joinchat/AAAAAE-x2z',
      ),
    ).toEqual([
      'telegram @libya_sea_travel',
      'telegram @boat_news',
      'telegram t.me/+AbCdEfGhIjKlMnOp',
      'telegram t.me/joinchat/AAAAAE-x2z',
    ]);
    expect(pairs('تلغرام: @zuwara_trips')).toEqual(['telegram @zuwara_trips']);
    expect(pairs('تلگرام @safar_ir')).toEqual(['telegram @safar_ir']);
    expect(pairs('Thanks @Marco_Rossi for the photos!')).toEqual([]);
    expect(pairs('t.me/share/url?url=x')).toEqual([]);
  });

  it('Signal: a number link in E.164, a group link as written', () => {
    expect(pairs('signal.me/#p/+393891234567 https://signal.group/#CjQKIFhY2aB7cD4eF1gHbR3kTq9XyZ')).toEqual([
      'signal +393891234567',
      'signal signal.group/#CjQKIFhY2aB7cD4eF1gHbR3kTq9XyZ',
    ]);
  });
});

describe('social-network profiles', () => {
  it('Facebook, Instagram, TikTok and X profile links (not their share or login pages)', () => {
    expect(
      pairs(
        'https://www.facebook.com/profile.php?id=100087654321012 https://m.facebook.com/groups/hijra.europa facebook.com/EuropaTravel2025 instagram.com/mohajerat.eu/ https://www.tiktok.com/@viaggisicuri/video/1 https://twitter.com/EuropeDream_25 x.com/safe_route/status/9',
      ),
    ).toEqual([
      'facebook facebook.com/profile.php?id=100087654321012',
      'facebook facebook.com/groups/hijra.europa',
      'facebook facebook.com/europatravel2025',
      'instagram @mohajerat.eu',
      'tiktok @viaggisicuri',
      'x @europedream_25',
      'x @safe_route',
    ]);
    expect(
      pairs(
        'https://www.facebook.com/sharer/sharer.php?u=x https://twitter.com/intent/tweet https://instagram.com/p/Cx1',
      ),
    ).toEqual([]);
  });

  it('handles next to a platform name belong to that platform', () => {
    expect(pairs('Instagram: @voyage_sans_visa, TikTok @hijra_2024, تويتر @DubaiEurope')).toEqual([
      'instagram @voyage_sans_visa',
      'tiktok @hijra_2024',
      'x @dubaieurope',
    ]);
  });

  it('an e-mail address is not a handle', () => {
    expect(pairs('Telegram or mail boat.trips@gmail.com')).toEqual(['email boat.trips@gmail.com']);
  });
});

describe('payment details', () => {
  it('IBANs with or without spaces pass the mod-97 check; a wrong check digit is refused', () => {
    expect(
      pairs('DE89 3704 0044 0532 0130 00 / GB82WEST12345698765432 / LY83 0020 4800 0020 1001 2036 1'),
    ).toEqual([
      'iban DE89370400440532013000',
      'iban GB82WEST12345698765432',
      'iban LY83002048000020100120361',
    ]);
    expect(pairs('DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(pairs('DE89 3704 0044 0532 0130 0012')).toEqual([]); // too long: not this IBAN
  });

  it('prices with their currency, in digits or Arabic and Persian words', () => {
    expect(
      pairs(
        '٥٠٠٠ يورو | ۵۰۰۰ دلار | 3.500 € | 1,200$ | EUR 900 | £450 | 1.250,50 EUR | 300 دينار | 1500 ليرة',
      ),
    ).toEqual([
      'price 5000 EUR',
      'price 5000 USD',
      'price 3500 EUR',
      'price 1200 USD',
      'price 900 EUR',
      'price 450 GBP',
      'price 1250.5 EUR',
      'price 300 LYD',
      'price 1500 TRY',
    ]);
    expect(pairs('خمسة آلاف دولار، ألفين يورو، پنج هزار دلار، 5k euro, 2 mila euro')).toEqual([
      'price 5000 USD',
      'price 2000 EUR',
      'price 5000 USD',
      'price 5000 EUR',
      'price 2000 EUR',
    ]);
    expect(pairs('300 دينار', { lang: 'ar-TN' })).toEqual(['price 300 TND']);
    expect(pairs('۲۰۰۰ ډالر، 3000 دۆلار، 4500 ዶላር')).toEqual([
      'price 2000 USD',
      'price 3000 USD',
      'price 4500 USD',
    ]);
  });

  it('a number without a currency is not a price', () => {
    expect(pairs('we are 3500 people, 20 boats, 12 euro-pallets')).toEqual([]);
  });
});

describe('links in captured HTML', () => {
  it('tel: and mailto: targets, and profile links, are read from an href', () => {
    expect(extractLinkEntities('tel:+218-91-234-5678')).toEqual([
      { type: 'phone', value: '+218912345678', original: 'tel:+218-91-234-5678', offset: 0 },
    ]);
    expect(extractLinkEntities('tel:0912345678', { lang: 'ar-LY' })[0]?.value).toBe('+218912345678');
    expect(extractLinkEntities('mailto:Boat.Trips@Gmail.com?subject=x')[0]?.value).toBe(
      'boat.trips@gmail.com',
    );
    expect(extractLinkEntities('https://wa.me/218912345678?text=hello')[0]?.value).toBe('+218912345678');
    expect(extractLinkEntities('https://example.com/order/0912345678')).toEqual([]);
  });
});
