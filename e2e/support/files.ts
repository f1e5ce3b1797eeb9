import type { Page } from 'playwright-core';
import type { PickedFile } from '../pages/application.page.js';

/**
 * A real, small ID-photo-like JPEG, drawn on a canvas by the browser itself (so it is a valid JPEG by any
 * decoder, not just its magic bytes). `page` must have JavaScript on; the page is left on about:blank.
 */
export async function jpegPhoto(page: Page): Promise<PickedFile> {
  await page.goto('about:blank');
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 120;
    canvas.height = 160;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 120, 160);
    g.fillStyle = '#6b7280';
    g.beginPath();
    g.ellipse(60, 62, 28, 36, 0, 0, Math.PI * 2);
    g.fill();
    g.fillRect(22, 110, 76, 50);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  const buffer = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (buffer[0] !== 0xff || buffer[1] !== 0xd8) throw new Error('The browser did not make a JPEG');
  return { name: 'photo.jpg', mimeType: 'image/jpeg', buffer };
}

/** A text file named like a photo, with the label a browser would give it: the app must judge the content. */
export const mislabelledPhoto: PickedFile = {
  name: 'photo.jpg',
  mimeType: 'image/jpeg',
  buffer: Buffer.from('This is a text file, not a photo.\n'),
};
