/** Looks an element up by its `data-testid` (the page's stable hooks, also used by test/playground). */
export function byTestId<T extends HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`the page has no [data-testid="${id}"]`);
  return element;
}

/** Every element of index.html the scripts use, found once at start-up. */
export function findPageElements() {
  return {
    apiKey: byTestId<HTMLInputElement>('api-key-input'),
    family: byTestId<HTMLSelectElement>('family-select'),
    fileInput: byTestId<HTMLInputElement>('image-input'),
    dropZone: byTestId<HTMLElement>('drop-zone'),
    urlInput: byTestId<HTMLInputElement>('url-input'),
    prompts: byTestId<HTMLInputElement>('prompt-input'),
    threshold: byTestId<HTMLInputElement>('threshold-input'),
    maskThreshold: byTestId<HTMLInputElement>('mask-threshold-input'),
    outputFormat: byTestId<HTMLSelectElement>('output-format-select'),
    boxThreshold: byTestId<HTMLInputElement>('box-threshold-input'),
    textThreshold: byTestId<HTMLInputElement>('text-threshold-input'),
    exportFormat: byTestId<HTMLSelectElement>('export-format-select'),
    registers: byTestId<HTMLInputElement>('register-tokens-input'),
    run: byTestId<HTMLButtonElement>('run-button'),
    submitJob: byTestId<HTMLButtonElement>('submit-job-button'),
    jobStatus: byTestId<HTMLElement>('job-status'),
    error: byTestId<HTMLElement>('error'),
    canvas: byTestId<HTMLCanvasElement>('result-canvas'),
    caption: byTestId<HTMLElement>('result-caption'),
    legend: byTestId<HTMLElement>('legend'),
    featureTools: byTestId<HTMLElement>('feature-tools'),
    showPca: byTestId<HTMLButtonElement>('show-pca-button'),
    instances: byTestId<HTMLUListElement>('instances'),
    glbView: byTestId<HTMLElement>('glb-view'),
    summary: byTestId<HTMLElement>('result-summary'),
    json: byTestId<HTMLElement>('result-json'),
    statusTable: byTestId<HTMLTableElement>('status-table'),
    refreshStatus: byTestId<HTMLButtonElement>('refresh-status-button'),
  };
}

export type PageElements = ReturnType<typeof findPageElements>;
