// The Coffer page's only script. The page's Content-Security-Policy allows no inline
// script, so what the Web Console's frame does inline is redone here, and everything
// else works without script: this only filters as you type and shows a migration's progress.
(function () {
    'use strict';
    var root = document.getElementById('coffer');
    if (!root) {
        return;
    }
    window.appRoot = root.getAttribute('data-app-root');
    window.pluginRoot = root.getAttribute('data-plugin-root');
    if (window.jQuery && window.jQuery.fn.menu) {
        window.jQuery('#navmenu').menu({position: {my: 'left top', at: 'left bottom'},
            classes: {'ui-menu': 'ui-corner-all'}});
    }

    var filter = root.querySelector('.coffer-filter input[type=search]');
    if (filter) {
        filter.addEventListener('input', function () {
            var wanted = filter.value.trim().toLowerCase();
            root.querySelectorAll('tr.coffer-entry').forEach(function (row) {
                var text = (row.getAttribute('data-service') + '\n' + row.getAttribute('data-username')).toLowerCase();
                row.hidden = wanted !== '' && text.indexOf(wanted) < 0;
            });
        });
    }

    var migration = root.querySelector('.coffer-migration');
    if (migration && migration.querySelector('.coffer-running')) {
        var poll = function () {
            var request = new XMLHttpRequest();
            request.open('GET', migration.getAttribute('data-status'));
            request.onload = function () {
                var state = JSON.parse(request.responseText);
                var progress = migration.querySelector('progress');
                progress.max = Math.max(1, state.total);
                progress.value = state.done;
                migration.querySelector('.coffer-migration-count').textContent = state.done + ' of ' + state.total;
                if (state.running) {
                    window.setTimeout(poll, 300);
                } else {
                    // the verification result, and the entries as they are now
                    window.location.reload();
                }
            };
            request.send();
        };
        poll();
    }
})();
