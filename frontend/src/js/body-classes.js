// Loaded synchronously as the first thing in <body> (an external file rather
// than GOV.UK Frontend's inline snippet, so a Content-Security-Policy of
// script-src 'self' needs no hash). Marks the page as JavaScript-enabled and,
// in browsers that support ES modules, as supported by GOV.UK Frontend.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
