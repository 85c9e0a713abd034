import { type ReactNode, useEffect, useState } from 'react';

/**
 * A warning or status that appears with its text (the item's timestamp warning, the selector marks
 * warning, a form's refusal): its live region is put in the document empty, and its text a frame
 * later. A region that arrives already holding its text is not announced by every screen reader:
 * they announce a change of a region they already know. Once its text is in, the region stays and
 * only its text changes. Until then it has no class either (no empty box on the screen).
 */
export function LiveRegion({
  role,
  className,
  testId,
  as: Tag = 'div',
  children,
}: Readonly<{
  role: 'status' | 'alert';
  className: string;
  testId?: string;
  as?: 'div' | 'section';
  children: ReactNode;
}>) {
  const [filled, setFilled] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setFilled(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  return (
    <Tag role={role} className={filled ? className : undefined} data-testid={testId}>
      {filled ? children : null}
    </Tag>
  );
}
