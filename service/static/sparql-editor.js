// The SPARQL page with YASGUI (vendored in /static/yasgui/, nothing fetched from elsewhere).
// Without JavaScript, or if YASGUI fails to load, the plain form of the page stays and works.
(function () {
  "use strict";
  // The plain form's example list fills the text box (here, not inline: the page's CSP allows scripts from /static only).
  var picker = document.getElementById("example");
  if (picker) picker.addEventListener("change", function () {
    var ex = document.getElementById("ex-" + picker.value);
    if (ex) document.getElementById("q").value = ex.value;
  });
  if (typeof Yasgui === "undefined") return;
  var hash = window.location.hash;  // read first: YASGUI rewrites the hash with its tab state
  var holder = document.getElementById("yasgui");
  var form = document.querySelector("form[action='/sparql']");
  var text = document.getElementById("q");
  // Property and class completion ask a web service (LOV): left out, the page works offline.
  var Yasqe = Yasgui.Yasqe;
  if (Yasqe && Yasqe.defaults && Yasqe.defaults.autocompleters) {
    Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (n) {
      return n !== "property" && n !== "class";
    });
  }
  var yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: window.location.origin + "/sparql", method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return []; } }
  });
  var tab = yasgui.getTab();
  var first = text && text.value ? text.value : "";
  var examples = document.querySelectorAll("textarea[id^='ex-']");
  if (!first && examples.length) first = examples[0].value;
  tab.setQuery(first);
  // The named queries as examples: each opens in a tab of its own.
  var list = document.getElementById("yasgui-examples");
  Array.prototype.forEach.call(examples, function (ex) {
    var name = ex.id.slice(3);
    var link = document.createElement("a");
    link.href = "#";
    link.textContent = ex.getAttribute("data-title") || name;
    link.className = "example";
    link.setAttribute("data-name", name);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var t = yasgui.addTab(true, { name: name });
      t = yasgui.getTab(t) || yasgui.getTab();
      t.setQuery(ex.value);
      if (link.getAttribute("data-run") !== null) t.query();
    });
    var item = document.createElement("li");
    item.appendChild(link);
    list.appendChild(item);
  });
  if (form) form.style.display = "none";
  holder.removeAttribute("hidden");
  // #run=NAME opens the named query NAME and runs it (used by the browser test, handy in links).
  var m = /^#run=(.+)$/.exec(hash);
  if (m) {
    var target = list.querySelector("a[data-name='" + decodeURIComponent(m[1]).replace(/'/g, "") + "']");
    if (target) { target.setAttribute("data-run", ""); target.click(); }
  }
})();
