/* Django admin's autocomplete boxes (select2) named after their fields' labels, so a screen reader
   says which box it is in ("Terms", not nothing), and select2's "Remove all items" cross kept out
   of the list of chosen items, where only items belong. select2 builds its boxes after the page
   loads and rebuilds the chosen items on every change, so this follows the page's changes.
   Enhancement only: without JavaScript the fields are plain <select>s with their labels. */
"use strict";
{
  function nameBox(select) {
    const box = select.nextElementSibling;
    const label = document.querySelector(`label[for="${select.id}"]`);
    if (!box || !box.classList.contains("select2-container") || !label) {
      return;
    }
    if (!label.id) {
      label.id = `${select.id}_label`;
    }
    const combobox = box.querySelector(".select2-selection[role=combobox]");
    const chosen = box.querySelector(".select2-selection__rendered[id]");
    const names = chosen ? `${label.id} ${chosen.id}` : label.id;
    if (combobox && combobox.getAttribute("aria-labelledby") !== names) {
      combobox.setAttribute("aria-labelledby", names);
    }
    if (chosen && !chosen.hasAttribute("aria-labelledby")) {
      chosen.setAttribute("aria-labelledby", label.id); // a read-only textbox, empty until chosen
    }
    const search = box.querySelector(".select2-search__field");
    if (search && !search.hasAttribute("aria-labelledby")) {
      search.setAttribute("aria-labelledby", label.id);
    }
    const list = box.querySelector("ul.select2-selection__rendered");
    const clear = list && list.querySelector(":scope > .select2-selection__clear");
    if (clear) {
      list.after(clear);
    }
  }

  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameBox);
  }

  new MutationObserver(nameBoxes).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
}
