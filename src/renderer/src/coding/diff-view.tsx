/**
 * A task branch against its base: the changed files with their +/− counts, then the
 * patch with added and removed lines coloured. The patch is text in a `<pre>`: React
 * escapes it, nothing in it becomes markup.
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import type { WorktreeDiff } from '../../../shared/coding-contract.js';

type LineKind = 'add' | 'del' | 'hunk' | 'file' | 'context';

/** How a line of a unified diff reads. */
export function diffLineKind(line: string): LineKind {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) return 'file';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'context';
}

export function DiffView(props: { diff: WorktreeDiff }): ReactNode {
  const { diff } = props;
  const lines = useMemo(() => diff.patch.split('\n'), [diff.patch]);
  const totals = diff.files.reduce((sum, file) => ({ add: sum.add + file.additions, del: sum.del + file.deletions }), { add: 0, del: 0 });
  return (
    <div className="diff" data-testid="diff">
      <p className="small muted">
        <span className="mono">{diff.branch}</span> against <span className="mono">{diff.base.slice(0, 10)}</span>: {diff.files.length} file
        {diff.files.length === 1 ? '' : 's'}, <span className="diff__add">+{totals.add}</span> <span className="diff__del">−{totals.del}</span>
      </p>
      {diff.files.length === 0 ? <p className="muted small">No changes.</p> : null}
      <table className="table table--compact diff__files" data-testid="diff-files">
        <tbody>
          {diff.files.map((file) => (
            <tr key={file.path} data-testid="diff-file" data-path={file.path}>
              <td className="mono">{file.path}</td>
              <td className="muted small">{file.status}</td>
              <td className="mono diff__add">+{file.additions}</td>
              <td className="mono diff__del">−{file.deletions}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff.patch ? (
        <pre className="diff__patch mono" data-testid="diff-patch">
          {lines.map((line, index) => (
            <span key={index} className={`diff__line diff__line--${diffLineKind(line)}`}>
              {line}
              {'\n'}
            </span>
          ))}
        </pre>
      ) : null}
      {diff.truncated ? <p className="muted small">The patch was cut here; the files above are complete.</p> : null}
    </div>
  );
}
