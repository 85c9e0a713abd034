/**
 * The notices platforms show in place of content that was removed, and the login walls they put in
 * front of it, in the languages investigators meet most (English, French, Italian, Spanish, German,
 * Arabic, Persian). One table, so a new wording is one line. Matching is on normalised words
 * (`normalizeText`): case, punctuation, apostrophes, accents and Arabic letter variants do not matter.
 *
 * A notice counts only when the last capture where the content was there did not already show it
 * (see classify-check.ts): a page that quotes a notice is not itself removed.
 */

/** What a notice says about the content. */
export type NoticeKind = 'removed' | 'login-wall';

/** One platform's wording of one notice in one language. */
export interface PlatformNotice {
  readonly platform: string;
  readonly language: string;
  readonly kind: NoticeKind;
  readonly text: string;
}

type Row = readonly [platform: string, language: string, kind: NoticeKind, text: string];

const ROWS: readonly Row[] = [
  // Facebook
  ['facebook', 'en', 'removed', "This content isn't available right now"],
  ['facebook', 'en', 'removed', "This page isn't available"],
  ['facebook', 'fr', 'removed', "Ce contenu n'est pas disponible pour le moment"],
  ['facebook', 'fr', 'removed', "Cette page n'est pas disponible"],
  ['facebook', 'it', 'removed', 'Questo contenuto non è al momento disponibile'],
  ['facebook', 'it', 'removed', 'Questa pagina non è disponibile'],
  ['facebook', 'es', 'removed', 'Este contenido no está disponible en este momento'],
  ['facebook', 'es', 'removed', 'Esta página no está disponible'],
  ['facebook', 'de', 'removed', 'Dieser Inhalt ist derzeit nicht verfügbar'],
  ['facebook', 'de', 'removed', 'Diese Seite ist nicht verfügbar'],
  ['facebook', 'ar', 'removed', 'هذا المحتوى غير متاح الآن'],
  ['facebook', 'ar', 'removed', 'هذا المحتوى غير متوفر الآن'],
  ['facebook', 'ar', 'removed', 'هذه الصفحة غير متاحة'],
  ['facebook', 'fa', 'removed', 'این محتوا در حال حاضر در دسترس نیست'],
  ['facebook', 'en', 'login-wall', 'You must log in to continue'],
  ['facebook', 'fr', 'login-wall', 'Vous devez vous connecter pour continuer'],
  ['facebook', 'it', 'login-wall', 'Devi accedere per continuare'],
  ['facebook', 'es', 'login-wall', 'Debes iniciar sesión para continuar'],
  ['facebook', 'de', 'login-wall', 'Du musst dich anmelden, um fortzufahren'],
  ['facebook', 'ar', 'login-wall', 'يجب عليك تسجيل الدخول للمتابعة'],
  ['facebook', 'fa', 'login-wall', 'برای ادامه باید وارد شوید'],
  // Instagram
  ['instagram', 'en', 'removed', "Sorry, this page isn't available"],
  // Facebook's "This page isn't available" says it too; a page showing both is Instagram's.
  ['instagram', 'en', 'removed', 'The link you followed may be broken, or the page may have been removed'],
  ['instagram', 'fr', 'removed', "Désolé, cette page n'est pas disponible"],
  ['instagram', 'it', 'removed', 'Spiacenti, questa pagina non è disponibile'],
  ['instagram', 'es', 'removed', 'Lo sentimos, esta página no está disponible'],
  ['instagram', 'de', 'removed', 'Diese Seite ist leider nicht verfügbar'],
  ['instagram', 'ar', 'removed', 'عذرًا، هذه الصفحة غير متاحة'],
  ['instagram', 'fa', 'removed', 'متأسفیم، این صفحه در دسترس نیست'],
  // X (Twitter)
  ['x', 'en', 'removed', 'This post is from a suspended account'],
  ['x', 'en', 'removed', 'This Tweet is from a suspended account'],
  ['x', 'en', 'removed', "Hmm...this page doesn't exist"],
  ['x', 'en', 'removed', "This account doesn't exist"],
  ['x', 'en', 'removed', 'This post was deleted by the post author'],
  ['x', 'fr', 'removed', "Ce post provient d'un compte suspendu"],
  ['x', 'fr', 'removed', "Hmm... cette page n'existe pas"],
  ['x', 'fr', 'removed', "Ce compte n'existe pas"],
  ['x', 'it', 'removed', 'Questo post proviene da un account sospeso'],
  ['x', 'it', 'removed', 'Hmm... questa pagina non esiste'],
  ['x', 'it', 'removed', 'Questo account non esiste'],
  ['x', 'es', 'removed', 'Este post es de una cuenta suspendida'],
  ['x', 'es', 'removed', 'Mmm... esta página no existe'],
  ['x', 'es', 'removed', 'Esta cuenta no existe'],
  ['x', 'de', 'removed', 'Dieser Post stammt von einem gesperrten Account'],
  ['x', 'de', 'removed', 'Hm... diese Seite existiert nicht'],
  ['x', 'de', 'removed', 'Dieser Account existiert nicht'],
  ['x', 'ar', 'removed', 'هذا المنشور من حساب معلّق'],
  ['x', 'ar', 'removed', 'هذه الصفحة غير موجودة'],
  ['x', 'ar', 'removed', 'هذا الحساب غير موجود'],
  ['x', 'fa', 'removed', 'این پست از یک حساب تعلیق‌شده است'],
  ['x', 'fa', 'removed', 'این صفحه وجود ندارد'],
  ['x', 'fa', 'removed', 'این حساب وجود ندارد'],
  // TikTok
  ['tiktok', 'en', 'removed', "Couldn't find this account"],
  ['tiktok', 'en', 'removed', 'Video currently unavailable'],
  ['tiktok', 'fr', 'removed', 'Impossible de trouver ce compte'],
  ['tiktok', 'fr', 'removed', 'Vidéo actuellement indisponible'],
  ['tiktok', 'it', 'removed', 'Impossibile trovare questo account'],
  ['tiktok', 'it', 'removed', 'Video attualmente non disponibile'],
  ['tiktok', 'es', 'removed', 'No se ha podido encontrar esta cuenta'],
  ['tiktok', 'es', 'removed', 'Video no disponible actualmente'],
  ['tiktok', 'de', 'removed', 'Konto konnte nicht gefunden werden'],
  ['tiktok', 'de', 'removed', 'Video derzeit nicht verfügbar'],
  ['tiktok', 'ar', 'removed', 'تعذر العثور على هذا الحساب'],
  ['tiktok', 'ar', 'removed', 'الفيديو غير متاح حاليًا'],
  ['tiktok', 'fa', 'removed', 'این حساب پیدا نشد'],
  ['tiktok', 'fa', 'removed', 'ویدیو در حال حاضر در دسترس نیست'],
  // Telegram (t.me web previews)
  ['telegram', 'en', 'removed', "This channel can't be displayed"],
  ['telegram', 'en', 'removed', "This group can't be displayed"],
  ['telegram', 'en', 'removed', 'Post not found'],
  ['telegram', 'fr', 'removed', 'Ce canal ne peut pas être affiché'],
  ['telegram', 'it', 'removed', 'Questo canale non può essere visualizzato'],
  ['telegram', 'es', 'removed', 'Este canal no se puede mostrar'],
  ['telegram', 'de', 'removed', 'Dieser Kanal kann nicht angezeigt werden'],
  ['telegram', 'ar', 'removed', 'لا يمكن عرض هذه القناة'],
  ['telegram', 'fa', 'removed', 'این کانال قابل نمایش نیست'],
  // YouTube
  ['youtube', 'en', 'removed', 'Video unavailable'],
  ['youtube', 'en', 'removed', "This video isn't available anymore"],
  ['youtube', 'en', 'removed', 'This video has been removed'],
  ['youtube', 'en', 'removed', 'This account has been terminated'],
  ['youtube', 'fr', 'removed', 'Vidéo non disponible'],
  ['youtube', 'fr', 'removed', "Cette vidéo n'est plus disponible"],
  ['youtube', 'it', 'removed', 'Video non disponibile'],
  ['youtube', 'es', 'removed', 'Video no disponible'],
  ['youtube', 'es', 'removed', 'Vídeo no disponible'],
  ['youtube', 'de', 'removed', 'Video nicht verfügbar'],
  ['youtube', 'ar', 'removed', 'الفيديو غير متاح'],
  ['youtube', 'fa', 'removed', 'ویدیو در دسترس نیست'],
];

/** The hosts of each platform (and their subdomains: `m.facebook.com`, `www.instagram.com`). */
const PLATFORM_HOSTS: Readonly<Record<string, readonly string[]>> = {
  facebook: ['facebook.com', 'fb.com', 'fb.watch', 'messenger.com'],
  instagram: ['instagram.com'],
  x: ['x.com', 'twitter.com'],
  tiktok: ['tiktok.com'],
  telegram: ['t.me', 'telegram.me', 'telegram.org'],
  youtube: ['youtube.com', 'youtu.be'],
};

/** The platform a page's address belongs to, or undefined for any other site (or no address). */
export function platformOfUrl(url: string | null | undefined): string | undefined {
  let host: string;
  try {
    host = new URL(url ?? '').hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return Object.keys(PLATFORM_HOSTS).find((platform) =>
    (PLATFORM_HOSTS[platform] ?? []).some((h) => host === h || host.endsWith(`.${h}`)),
  );
}

/** The host name of an address (`127.0.0.1`, without the port), for a notice's attribution; or undefined. */
export function hostOfUrl(url: string | null | undefined): string | undefined {
  try {
    return new URL(url ?? '').hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Every notice Custos recognises. */
export const PLATFORM_NOTICES: readonly PlatformNotice[] = ROWS.map(([platform, language, kind, text]) => ({
  platform,
  language,
  kind,
  text,
}));

/**
 * Final-URL paths that are a login page: a post that now redirects here is behind a login wall
 * (Facebook `/login/`, `/login.php`, Instagram `/accounts/login/`, X `/i/flow/login`, TikTok `/login`).
 */
export const LOGIN_PATHS: readonly RegExp[] = [
  /^\/login(?:[/.?]|\.php|$)/i,
  /^\/accounts\/login(?:[/?]|$)/i,
  /^\/i\/flow\/login(?:[/?]|$)/i,
  /^\/(?:signin|sign-in|sign_in)(?:[/?]|$)/i,
  /^\/checkpoint(?:[/?]|$)/i,
];
