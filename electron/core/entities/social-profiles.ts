import type { EntityType } from '../../../shared/entities.js';
import type { LinkReader } from './links.js';
import { bareHost, pathSegments } from './links.js';

/** Paths of each platform that are its own pages (sharing, login, help…), never a profile. */
const RESERVED: Readonly<Record<'facebook' | 'instagram' | 'tiktok' | 'x', ReadonlySet<string>>> = {
  facebook: new Set(
    'sharer sharer.php share share.php dialog plugins login login.php help policies privacy legal photo.php photo photos watch events marketplace hashtag l.php home.php tr settings notifications messages gaming reel reels stories business ads pages'.split(
      ' ',
    ),
  ),
  instagram: new Set('p reel reels tv explore accounts about developer legal direct web stories'.split(' ')),
  tiktok: new Set(),
  x: new Set(
    'home i intent share search hashtag explore login signup settings tos privacy messages notifications compose'.split(
      ' ',
    ),
  ),
};

const profile = (type: EntityType, value: string) => ({ type, value });

/**
 * Facebook profiles, pages and groups: `facebook.com/name` (also fb.com, m., web., mbasic.),
 * `profile.php?id=N` and posts that carry the author's id (`permalink.php?…&id=N`) as
 * `facebook.com/profile.php?id=N`, `groups/name`.
 */
const readFacebook: LinkReader = (url) => {
  const host = bareHost(url);
  if (host !== 'facebook.com' && host !== 'fb.com' && host !== 'fb.me') return undefined;
  const [first, second] = pathSegments(url);
  if (!first) return undefined;
  const name = first.toLowerCase();
  if (['profile.php', 'permalink.php', 'story.php'].includes(name)) {
    const id = url.searchParams.get('id');
    return id && /^\d{5,20}$/.test(id) ? profile('facebook', `facebook.com/profile.php?id=${id}`) : undefined;
  }
  if (name === 'groups' && second && /^[\w.-]{3,}$/.test(second)) {
    return profile('facebook', `facebook.com/groups/${second.toLowerCase()}`);
  }
  if (name === 'people' && pathSegments(url)[2]) {
    const id = pathSegments(url)[2];
    return id && /^\d{5,20}$/.test(id) ? profile('facebook', `facebook.com/profile.php?id=${id}`) : undefined;
  }
  if (RESERVED.facebook.has(name) || !/^[a-z0-9.]{5,50}$/.test(name)) return undefined;
  return profile('facebook', `facebook.com/${name}`);
};

/** Instagram accounts: `instagram.com/name` (and `stories/name`) as `@name`. */
const readInstagram: LinkReader = (url) => {
  const host = bareHost(url);
  if (host !== 'instagram.com' && host !== 'instagr.am') return undefined;
  const segments = pathSegments(url);
  const name = (segments[0] === 'stories' ? segments[1] : segments[0])?.toLowerCase();
  if (!name || (segments[0] !== 'stories' && RESERVED.instagram.has(name))) return undefined;
  return /^[a-z0-9._]{1,30}$/.test(name) ? profile('instagram', `@${name}`) : undefined;
};

/** TikTok accounts: `tiktok.com/@name` (and its videos) as `@name`. */
const readTikTok: LinkReader = (url) => {
  if (bareHost(url) !== 'tiktok.com') return undefined;
  const first = pathSegments(url)[0];
  const name = first?.startsWith('@') ? first.slice(1).toLowerCase() : undefined;
  return name && /^[a-z0-9._]{2,24}$/.test(name) ? profile('tiktok', `@${name}`) : undefined;
};

/** X (Twitter) accounts: `x.com/name` or `twitter.com/name` (and their posts) as `@name`. */
const readX: LinkReader = (url) => {
  const host = bareHost(url);
  if (host !== 'x.com' && host !== 'twitter.com') return undefined;
  const name = pathSegments(url)[0]?.toLowerCase();
  if (!name || RESERVED.x.has(name)) return undefined;
  return /^[a-z0-9_]{1,15}$/.test(name) ? profile('x', `@${name}`) : undefined;
};

/** The readers of social-network profile links, one per platform. */
export const SOCIAL_PROFILE_READERS: readonly LinkReader[] = [readFacebook, readInstagram, readTikTok, readX];
