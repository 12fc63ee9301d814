// The panel works without JavaScript; this only adds two comforts:
// a confirmation before destructive buttons, and copying shown secrets.
document.addEventListener('submit', function (e) {
  var msg = e.target.getAttribute('data-confirm');
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
document.addEventListener('click', function (e) {
  var btn = e.target.closest('[data-copy]');
  if (!btn || !navigator.clipboard) { return; }
  var el = document.getElementById(btn.getAttribute('data-copy'));
  if (el) {
    navigator.clipboard.writeText(el.textContent.trim()).then(function () {
      btn.textContent = btn.getAttribute('data-copied') || btn.textContent;
    });
  }
});
