// No modulepreload polyfill: it touches `document`, and the test runs the built entry in Node.
export default { logLevel: 'warn', build: { target: 'es2022', modulePreload: { polyfill: false } } };
