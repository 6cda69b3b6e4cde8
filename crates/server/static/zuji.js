// Small progressive touches; every page works without this file.
// 1. Forms marked data-confirm ask before an irreversible action (withdraw, suspend).
document.addEventListener('submit', function (e) {
  var msg = e.target.getAttribute('data-confirm');
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// 2. Pages showing a running job refresh themselves until it finishes.
(function () {
  var el = document.querySelector('[data-refresh-seconds]');
  if (!el) { return; }
  var s = parseInt(el.getAttribute('data-refresh-seconds'), 10) || 2;
  setTimeout(function () { window.location.reload(); }, s * 1000);
})();
