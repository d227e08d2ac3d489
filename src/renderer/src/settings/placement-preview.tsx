import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { HybridConfig, SOURCE_LOCAL_TYPES, SOURCE_REMOTE_TYPES } from '../../../shared/config.js';
import { ownershipOf, placementOf } from '../../../shared/ownership.js';
import { LocationBadge } from '../agents/location-badge.js';
import type { ConfigDraft } from './config-form.js';
import { draftToUpdate } from './config-form.js';

const KNOWN_TYPES = ['supervisor', 'merge-queue', 'review', 'workspace', 'worker'];

/** Where each agent type would run under the draft, by the shared placement rules. */
export function PlacementPreview(props: { draft: ConfigDraft }): ReactNode {
  const rows = useMemo(() => {
    const parsed = HybridConfig.safeParse(draftToUpdate(props.draft).config);
    if (!parsed.success) return null;
    const config = parsed.data;
    const types = new Set([...KNOWN_TYPES, ...config.localAgentTypes, ...config.remoteAgentTypes]);
    return [...types].map((type) => ({ type, ownership: ownershipOf(type), location: placementOf(type, config) }));
  }, [props.draft]);

  return (
    <details className="placement" data-testid="placement-preview">
      <summary>Where agent types will run</summary>
      {rows === null ? (
        <p className="muted small">Fix the fields above to see the placement.</p>
      ) : (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Ownership</th>
              <th scope="col">Runs on</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.type}>
                <td className="mono">{row.type}</td>
                <td className="muted">{row.ownership}</td>
                <td>
                  <LocationBadge location={row.location} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Source defaults when both lists are empty: local {SOURCE_LOCAL_TYPES.join(', ')}; remote{' '}
        {SOURCE_REMOTE_TYPES.join(', ')}.
      </p>
    </details>
  );
}
