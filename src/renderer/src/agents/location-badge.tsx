import type { ReactNode } from 'react';
import type { Location } from '../../../shared/domain.js';

/** "this laptop" or "remote": where an agent runs. */
export function LocationBadge(props: { location: Location }): ReactNode {
  return props.location === 'local' ? (
    <span className="badge badge--local">this laptop</span>
  ) : (
    <span className="badge badge--remote">remote</span>
  );
}
