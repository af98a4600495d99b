import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The native menu. Editing commands live in the renderer (with their shortcuts), so the menu
 * keeps the standard roles: text editing in fields, reload, dev tools, zoom, window.
 */
export function applicationMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
