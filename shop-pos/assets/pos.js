// The till's keys. Every page works without this file (buttons and forms); with it, the key shown
// on a button presses it: an element with data-key="F9" is clicked (a field is focused, a folded
// box opened) when F9 is pressed. Keystrokes that land nowhere go to the scan field, so a scan is
// never lost because a click moved the focus.
(function () {
  'use strict';
  var armed = null;
  function scanField() { return document.getElementById('scan'); }
  function typing(el) {
    return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');
  }
  function say(text) {
    var box = document.getElementById('key-hint');
    if (box) { box.textContent = text; box.hidden = !text; }
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    // Escape inside an open box closes it and hands the keys back to the scan field.
    var open = document.querySelector('details[open]');
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      open.open = false;
      if (scanField()) scanField().focus();
      return;
    }
    var el = document.querySelector('[data-key="' + e.key + '"]');
    // The till's keys never do the browser's thing (F1 help, F5 reload…), even where unused.
    if (/^F([1-9]|10)$/.test(e.key)) e.preventDefault();
    if (el) {
      e.preventDefault();
      // A key that throws work away asks to be pressed twice.
      var confirmText = el.getAttribute('data-confirm');
      if (confirmText && armed !== el) {
        armed = el;
        say(confirmText);
        setTimeout(function () { if (armed === el) { armed = null; say(''); } }, 4000);
        return;
      }
      armed = null;
      if (el.tagName === 'DETAILS') {
        el.open = true;
        var first = el.querySelector('input:not([type=hidden]),select');
        if (first) first.focus();
      } else if (typing(el)) {
        el.focus();
        if (el.select) el.select();
      } else {
        el.click();
      }
      return;
    }
    // A printable key with the focus on nothing that takes text: it belongs to the scan field.
    var scan = scanField();
    if (scan && e.key.length === 1 && !typing(document.activeElement)) scan.focus();
  });
})();
