"""Browser tests: the app on a live server, driven by Debian's Chromium through Playwright."""
