// The console's only script of its own: the copy buttons, and a question before an action that cannot
// be undone. Loaded from the server (the CSP allows no inline script); every page works without it,
// the values stay selectable by hand.
(function () {
  "use strict";

  // What a copy did is said in the page's one status region (layout.jte), which is there before the
  // words are: a region that appears with its words, as a button made live as it changes, is not read.
  function announce(words) {
    var region = document.getElementById("announce");
    if (region) {
      // Emptied first: the same words written again over themselves are not read again.
      region.textContent = "";
      window.setTimeout(function () { region.textContent = words; }, 100);
    }
  }

  function copied(button) {
    var label = button.textContent;
    button.textContent = "Copied";
    announce("Copied to the clipboard.");
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    announce("Selected: press Control+C (Command+C on a Mac) to copy.");
  }

  // Revoking a token or removing a secret cuts off the identity provider that uses it: one stray
  // click or Enter must not do it.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var text = source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { selectText(source); });
    } else {
      // Plain HTTP on another host has no clipboard API: select the value so Ctrl+C copies it.
      selectText(source);
    }
  });
})();
