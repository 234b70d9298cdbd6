import { App } from './app.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element.');
const app = new App(root);
// For the browser tests and for debugging from the console: the app and its map, nothing secret.
(window as unknown as { lifecircle: App }).lifecircle = app;
void app.mapView.whenReady().then(() => app.openBundled());
