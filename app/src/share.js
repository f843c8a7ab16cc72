// "Copiar link": see share.rs.
(() => {
  'use strict';
  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-copy-link]') : null;
    if (!button) return;
    const status = button.nextElementSibling;
    try {
      await navigator.clipboard.writeText(window.location.href);
    } catch {
      // No clipboard (an address without HTTPS): the address to copy by hand.
      window.prompt(button.textContent.trim(), window.location.href);
      return;
    }
    status.textContent = button.dataset.done;
    setTimeout(() => { status.textContent = ''; }, 3000);
  });
})();
