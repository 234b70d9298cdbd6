import { App } from './app.js';
import { isShareHash } from './share.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element.');
const app = new App(root);
// For the browser tests and for debugging from the console: the app and its map, nothing secret.
(window as unknown as { lifecircle: App }).lifecircle = app;
// A shared link (share.ts) opens its scenario; any other page opens on the bundled city.
void app.mapView
  .whenReady()
  .then(() => (isShareHash(location.hash) ? app.openSharedLink(location.hash) : app.openBundled()));
