// Applies the stored colour theme before the first paint, so a dark-theme user never sees a white
// flash. A classic script (the Content-Security-Policy allows no inline script); the app's
// src/theme/theme.ts keeps it up to date afterwards and uses the same storage key.
(function () {
  var preference = 'system';
  try {
    var stored = window.localStorage.getItem('logister.theme');
    if (stored === 'light' || stored === 'dark') preference = stored;
  } catch {
    // storage disabled
  }
  var theme = preference;
  if (theme === 'system') {
    theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.setAttribute('data-theme', theme);
  document.documentElement.style.colorScheme = theme;
})();
