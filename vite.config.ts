import react from '@vitejs/plugin-react'
import { defineConfig, type HtmlTagDescriptor, type Plugin, type Rollup } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

/**
 * The Content-Security-Policy the built page carries, as a meta tag (a static host may send no
 * headers). Scripts, workers (the engine's, the service worker) and every fetch come from the
 * page's own origin; no inline script, no eval, no plugin, no <base>. Styles too: React, React
 * Flow and d3 set styles through the CSSOM (element.style), which style-src does not govern, and
 * none of them inserts a <style> element or a style attribute, so no 'unsafe-inline' is needed
 * (e2e/fixtures.ts fails any test whose page reports a violation). frame-ancestors, sandbox and
 * report-uri are ignored in a meta tag, so they are not written.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/**
 * Only in the build: the dev server needs inline scripts (React Refresh), injected <style>
 * elements and a WebSocket that the policy rightly forbids.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'podpath-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  }
}

/**
 * Only in the build: index.html preloads the chunks the first screen needs although src/main.tsx
 * imports them dynamically (`modules`: React DOM, src/ui/boot.tsx (the page's React half) and the
 * UI's strings in either language), with the chunks they import and their style sheets, so that
 * they download beside the entry instead of after it, and the sheets are in place (in their
 * order) before React draws. Vite's preload helper finds the links there and adds none of its own.
 */
function preloadFirstScreen(modules: string[]): Plugin {
  return {
    name: 'podpath-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle
        if (!bundle) return html
        const chunks = Object.values(bundle).filter(
          (c): c is Rollup.OutputChunk => c.type === 'chunk',
        )
        const scripts: string[] = []
        const sheets: string[] = []
        const visit = (file: string) => {
          if (scripts.includes(file)) return
          scripts.push(file)
          const chunk = bundle[file] as Rollup.OutputChunk
          for (const dep of chunk.imports) visit(dep)
          for (const css of chunk.viteMetadata?.importedCss ?? [])
            if (!sheets.includes(css)) sheets.push(css)
        }
        for (const m of modules) {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(m))
          if (!chunk) throw new Error(`podpath-preload-first-screen: no chunk for ${m}`)
          visit(chunk.fileName)
        }
        const fresh = (file: string) => !html.includes(`/${file}"`)
        const tag = (rel: string, file: string): HtmlTagDescriptor => ({
          tag: 'link',
          attrs: { rel, crossorigin: true, href: `./${file}` },
          injectTo: 'head',
        })
        return [
          ...scripts.filter(fresh).map((f) => tag('modulepreload', f)),
          ...sheets.filter(fresh).map((f) => tag('stylesheet', f)),
        ]
      },
    },
  }
}

export default defineConfig({
  // Relative: the build works from any folder of any static host (`/`, `/course/podpath/`).
  base: './',
  plugins: [
    react(),
    contentSecurityPolicy(),
    preloadFirstScreen([
      '/node_modules/react-dom/client.js',
      '/src/ui/boot.tsx',
      // The page's first render waits for the strings of its language, either one.
      '/src/i18n/en.ts',
      '/src/i18n/zh-CN.ts',
    ]),
    // sw.js: precaches every file the build wrote (the app, the engine's worker, every lesson's
    // file), so that once opened PodPath works with no network. Registered by src/app/offline.ts.
    VitePWA({
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{html,js,css,svg,yaml}'],
        // A lesson with a thousand Services is a large file; keep it offline too.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        // Any address in the app's folder opens the app (?lesson=... is the query of index.html).
        navigateFallback: 'index.html',
        // The first visit is controlled at once; a new version waits for the learner's reload
        // (src/ui/status), so an open page never mixes the chunks of two builds.
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // src/app/worker-client.ts starts src/sim/worker.ts as a module worker.
  worker: { format: 'es' },
  build: { target: 'es2022' },
})
