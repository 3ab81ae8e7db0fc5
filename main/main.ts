/**
 * Kiosk shell entry point (placeholder until issue #5): opens the service URL full screen.
 * Electron cannot be downloaded on the build machines, so nothing in `npm install`, `npm test`
 * or `npm start` loads this file.
 */
import { app, BrowserWindow } from 'electron';

const serverUrl = process.env.SHOMEI_SERVER_URL ?? 'http://localhost:3000/';

app.userAgentFallback = `${app.userAgentFallback} ShomeiKiosk/${app.getVersion()}`;

void app.whenReady().then(() => {
  const win = new BrowserWindow({
    kiosk: true,
    autoHideMenuBar: true,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  void win.loadURL(serverUrl);
});
