/**
 * The system Chromium (Playwright cannot download its own browsers on these machines) and the
 * flags that keep it quiet and offline.
 */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
