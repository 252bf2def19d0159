/** Where the image comes from: bytes the user gave the page, or a URL the API fetches itself. */
export type ImageSource = { kind: 'blob'; blob: Blob; name: string } | { kind: 'url'; url: string };

export interface ImageSourceElements {
  fileInput: HTMLInputElement;
  dropZone: HTMLElement;
  urlInput: HTMLInputElement;
}

/** Wires file choice, drag and drop onto the zone, paste anywhere on the page, and the URL field. */
export function watchImageSources(elements: ImageSourceElements, onImage: (source: ImageSource) => void): void {
  const { fileInput, dropZone, urlInput } = elements;
  const fromFiles = (files: FileList | null | undefined) => {
    const file = Array.from(files ?? []).find((f) => f.type.startsWith('image/')) ?? files?.[0];
    if (file) onImage({ kind: 'blob', blob: file, name: file.name });
  };
  fileInput.addEventListener('change', () => fromFiles(fileInput.files));
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    fromFiles(event.dataTransfer?.files);
  });
  document.addEventListener('paste', (event) => {
    const item = Array.from(event.clipboardData?.items ?? []).find((i) => i.type.startsWith('image/'));
    const file = item?.getAsFile();
    if (file) onImage({ kind: 'blob', blob: file, name: file.name || 'pasted image' });
  });
  urlInput.addEventListener('change', () => {
    const url = urlInput.value.trim();
    if (url) onImage({ kind: 'url', url });
  });
}

/** A data: URL of the bytes, which Focal accepts as an image as is. */
export function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the image'));
    reader.readAsDataURL(blob);
  });
}
