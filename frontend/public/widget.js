/*
 * Pulsedesk's support widget. On a customer's site:
 *   <script src="https://<pulsedesk host>/widget.js" data-workspace="<workspace slug>" async></script>
 * adds a "Contact support" button that opens the workspace's public web form in an iframe (served from
 * Pulsedesk's own origin: the host page never sees what is typed). No dependencies, no cookies.
 * Escape closes it, on the page or inside the form: the frame asks to be closed by postMessage, heard
 * only from the frame this script made and from Pulsedesk's origin (the frame, in turn, learns this
 * page's origin from this script's answer and posts only there: features/portal/api/widget-bridge.ts).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__pulsedeskWidget) return;
  var slug = script.getAttribute('data-workspace') || '';
  if (!/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(slug)) {
    if (window.console) console.warn('Pulsedesk widget: data-workspace must be a workspace slug');
    return;
  }
  window.__pulsedeskWidget = true;
  var origin = new URL(script.src, window.location.href).origin;
  var label = script.getAttribute('data-label') || 'Contact support';
  var panelId = 'pulsedesk-widget-panel';

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panelId);
  button.style.cssText =
    'position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:12px 18px;border:0;border-radius:24px;' +
    'background:#2a4fb5;color:#fff;font:600 15px/1.2 system-ui,sans-serif;cursor:pointer;' +
    'box-shadow:0 2px 8px rgba(16,24,40,.3)';

  var panel = document.createElement('div');
  panel.id = panelId;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', label);
  panel.hidden = true;
  panel.style.cssText =
    'position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(400px,calc(100vw - 32px));' +
    'height:min(600px,calc(100vh - 96px));background:#fff;border-radius:12px;overflow:hidden;' +
    'box-shadow:0 8px 30px rgba(16,24,40,.35);display:none;flex-direction:column';

  var close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Close';
  close.style.cssText =
    'align-self:flex-end;margin:6px;padding:6px 12px;border:1px solid #7b8594;border-radius:6px;' +
    'background:#fff;color:#1b2330;font:500 14px system-ui,sans-serif;cursor:pointer';
  panel.appendChild(close);

  var frame = null;
  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = origin + '/portal/' + slug + '/new?embed=1';
      frame.title = label;
      frame.style.cssText = 'flex:1;width:100%;border:0';
      panel.appendChild(frame);
    }
    panel.hidden = false;
    panel.style.display = 'flex'; // the inline display would otherwise win over [hidden]
    button.setAttribute('aria-expanded', 'true');
    frame.focus();
  }
  function hide() {
    panel.hidden = true;
    panel.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  button.addEventListener('click', function () {
    if (panel.hidden) open();
    else hide();
  });
  close.addEventListener('click', hide);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) hide();
  });
  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    var type = event.data && typeof event.data === 'object' ? event.data.type : null;
    if (type === 'pulsedesk:widget-ready') frame.contentWindow.postMessage({ type: 'pulsedesk:widget-hello' }, origin);
    else if (type === 'pulsedesk:widget-close' && !panel.hidden) hide();
  });
  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
