/**
 * Icons drawn inline (no icon font, no request): 16-pixel strokes in the current colour.
 */
import type { ReactNode } from 'react';

const paths = {
  shield: (
    <>
      <path d="M8 1.5 2.5 3.5v4c0 3.3 2.3 5.9 5.5 7 3.2-1.1 5.5-3.7 5.5-7v-4z" />
      <path d="m5.5 8 1.8 1.8L10.7 6.4" />
    </>
  ),
  list: <path d="M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01" />,
  ledger: (
    <>
      <rect x="3" y="1.5" width="10" height="13" rx="1" />
      <path d="M5.5 5h5M5.5 8h5M5.5 11h3" />
    </>
  ),
  export: (
    <>
      <path d="M8 10V1.5M4.8 4.7 8 1.5l3.2 3.2" />
      <path d="M2.5 9.5v4h11v-4" />
    </>
  ),
  verify: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="m5.2 8.2 2 2 3.8-4" />
    </>
  ),
  audit: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.5 10.5 3.5 3.5" />
      <path d="m5 7 1.5 1.5L9 6" />
    </>
  ),
  settings: (
    <>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </>
  ),
  folder: <path d="M1.5 4.5v8h13v-7h-6.5l-1.5-1.5h-5z" />,
  search: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.5 10.5 3.5 3.5" />
    </>
  ),
  // Two chain links: entities link items across posts and cases.
  link: (
    <>
      <path d="M6.6 9.4 9.4 6.6" />
      <path d="M7.6 4.4 9 3a2.5 2.5 0 0 1 3.5 3.5L11.1 7.9" />
      <path d="M8.4 11.6 7 13a2.5 2.5 0 0 1-3.5-3.5l1.4-1.4" />
    </>
  ),
  globe: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M1.5 8h13M8 1.5c2 2 2.6 4.2 2.6 6.5S10 12.5 8 14.5C6 12.5 5.4 10.3 5.4 8S6 3.5 8 1.5z" />
    </>
  ),
  camera: (
    <>
      <path d="M1.5 5h3l1.2-2h4.6L11.5 5h3v8h-13z" />
      <circle cx="8" cy="8.8" r="2.4" />
    </>
  ),
  file: (
    <>
      <path d="M3.5 1.5h6l3 3v10h-9z" />
      <path d="M9.5 1.5v3h3" />
    </>
  ),
  image: (
    <>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1" />
      <circle cx="5.5" cy="6" r="1.2" />
      <path d="m1.5 12 4-4 3 3 2-2 4 4" />
    </>
  ),
  copy: (
    <>
      <rect x="5" y="5" width="9" height="9" rx="1" />
      <path d="M11 5V2.5H2.5V11H5" />
    </>
  ),
  check: <path d="m3 8.5 3.2 3.2L13 5" />,
  cross: <path d="M4 4l8 8M12 4l-8 8" />,
  clock: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M8 4.2V8l2.6 1.6" />
    </>
  ),
  sun: (
    <>
      <circle cx="8" cy="8" r="3" />
      <path d="M8 1v1.8M8 13.2V15M1 8h1.8M13.2 8H15M3 3l1.3 1.3M11.7 11.7 13 13M3 13l1.3-1.3M11.7 4.3 13 3" />
    </>
  ),
  moon: <path d="M13.5 9.8A6 6 0 0 1 6.2 2.5a6 6 0 1 0 7.3 7.3z" />,
  back: <path d="M10 3 5 8l5 5" />,
  plus: <path d="M8 2.5v11M2.5 8h11" />,
  tag: (
    <>
      <path d="M2 2.5v4.6l6.9 6.9 5.1-5.1L7.1 2H2.5z" />
      <circle cx="5" cy="5" r="1.1" />
    </>
  ),
  upload: (
    <>
      <path d="M8 11V2.5M4.8 5.7 8 2.5l3.2 3.2" />
      <path d="M2.5 10.5v3h11v-3" />
    </>
  ),
  batch: <path d="M2 3.5h8M2 7h8M2 10.5h5M11 9v5M8.5 11.5h5" />,
  zoomIn: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.5 10.5 3.5 3.5M5 7h4M7 5v4" />
    </>
  ),
  zoomOut: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.5 10.5 3.5 3.5M5 7h4" />
    </>
  ),
  lock: (
    <>
      <rect x="3" y="7" width="10" height="7.5" rx="1" />
      <path d="M5.2 7V5a2.8 2.8 0 0 1 5.6 0v2" />
    </>
  ),
  forward: <path d="m6 3 5 5-5 5" />,
  reload: (
    <>
      <path d="M13 8a5 5 0 1 1-1.5-3.6" />
      <path d="M13 2.5v3h-3" />
    </>
  ),
  visible: <rect x="2" y="3" width="12" height="10" rx="1" />,
  video: <path d="M1.5 4h9v8h-9zM10.5 7l4-2.5v7l-4-2.5" />,
  region: <path d="M2 5V2h3M11 2h3v3M14 11v3h-3M5 14H2v-3M6 6h4v4H6z" />,
  user: (
    <>
      <circle cx="8" cy="5.5" r="2.8" />
      <path d="M2.8 14c.6-2.8 2.7-4.3 5.2-4.3s4.6 1.5 5.2 4.3" />
    </>
  ),
  /** Selectors: what the investigator is looking out for. */
  target: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="2" />
    </>
  ),
  /** Recognised text drawn over a picture. */
  textBoxes: <path d="M2 3h12v4H2zM2 9.5h8v3.5H2zM4 5h6M4 11.2h4" />,
  sortUp: <path d="m4.5 10 3.5-4 3.5 4" />,
  sortDown: <path d="m4.5 6 3.5 4 3.5-4" />,
} satisfies Record<string, ReactNode>;

/** The names of the bundled icons. */
export type IconName = keyof typeof paths;

/** An inline SVG icon, hidden from screen readers (the control around it carries the label). */
export function Icon({ name, size = 16 }: Readonly<{ name: IconName; size?: number }>) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name]}
    </svg>
  );
}
