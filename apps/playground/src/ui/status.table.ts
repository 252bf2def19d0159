import { FAMILIES, Family, ModelsStatus } from '../api/client.types.js';

export interface StatusActions {
  load(family: Family): void;
  unload(family: Family): void;
}

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function button(label: string, testId: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.dataset.testid = testId;
  b.addEventListener('click', onClick);
  return b;
}

/** One row per model type of /models/status, with Load and Unload buttons. */
export function renderStatusTable(table: HTMLTableElement, status: ModelsStatus, actions: StatusActions): void {
  const head = document.createElement('tr');
  for (const title of ['model', 'state', 'model id', 'device', 'replicas', 'demo', 'error / warnings', '']) {
    const th = document.createElement('th');
    th.textContent = title;
    head.append(th);
  }
  const rows = FAMILIES.map((family) => {
    const entry = status[family];
    const tr = document.createElement('tr');
    tr.dataset.family = family;
    tr.dataset.state = entry?.state ?? 'unknown';
    const notes = [entry?.error, ...(entry?.warnings ?? [])].filter(Boolean).join('; ');
    const actionsCell = document.createElement('td');
    actionsCell.append(
      button('Load', `load-${family}`, () => actions.load(family)),
      button('Unload', `unload-${family}`, () => actions.unload(family)),
    );
    tr.append(
      cell(family),
      cell(entry?.state ?? '?'),
      cell(entry?.model_id ?? '–'),
      cell(entry?.device ?? '–'),
      cell(entry ? `${entry.ready_replicas}/${entry.replicas}` : '–'),
      cell(entry?.demo ? 'yes' : 'no'),
      cell(notes || '–'),
      actionsCell,
    );
    return tr;
  });
  table.replaceChildren(head, ...rows);
}
