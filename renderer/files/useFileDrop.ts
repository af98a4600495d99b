import { useEffect } from 'react';
import { openChosenFiles } from './fileActions';

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

/**
 * Files dropped anywhere on the window open as File › Open opens them: an ONNX file or a Keras
 * model.json (with its .bin files dropped together) is imported, a graph file opened. Palette
 * drags carry no files and are left to the canvas.
 */
export function useFileDrop(): void {
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      void openChosenFiles([...(e.dataTransfer?.files ?? [])]);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
}
