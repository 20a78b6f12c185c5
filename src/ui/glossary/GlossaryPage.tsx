import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GlossaryEntry, Topic } from '../../app/glossary/entry.ts'
import { GLOSSARY } from '../../app/glossary/terms.ts'
import { selectLang, useAppStore } from '../../app/store.ts'
import { PageBar } from '../pages/PageBar.tsx'
import './glossary.css'

const TOPICS: Topic[] = ['pod', 'link', 'route', 'overlay', 'service', 'netfilter', 'dns', 'edge']

/** Every glossary term by topic, alphabetically within it, each with its source; a filter. */
export function GlossaryPage() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const [query, setQuery] = useState('')
  const q = query.trim().toLowerCase()
  const shown = useMemo(
    () =>
      GLOSSARY.filter(
        (e) =>
          !q ||
          e.term.en.toLowerCase().includes(q) ||
          e.term['zh-CN'].toLowerCase().includes(q) ||
          e.short[lang].toLowerCase().includes(q),
      ),
    [q, lang],
  )
  // A link to one entry (#term-vxlan) scrolls to it once the page is drawn.
  useEffect(() => {
    const id = window.location.hash.slice(1)
    if (id) document.getElementById(id)?.scrollIntoView()
  }, [])
  const sort = (a: GlossaryEntry, b: GlossaryEntry) =>
    a.term[lang].localeCompare(b.term[lang], lang, { sensitivity: 'base' })
  return (
    <article className="glossary-page" aria-labelledby="glossary-title">
      <PageBar />
      <h1 id="glossary-title">{t('glossary.title')}</h1>
      <p className="lead">{t('glossary.intro')}</p>
      <div className="glossary-filter">
        <label htmlFor="glossary-query">{t('glossary.filter')}</label>
        <input
          id="glossary-query"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span aria-live="polite">{t('glossary.count', { count: shown.length })}</span>
      </div>
      {TOPICS.map((topic) => {
        const entries = shown.filter((e) => e.topic === topic).sort(sort)
        if (!entries.length) return null
        return (
          <section key={topic} className="glossary-topic" aria-labelledby={`topic-${topic}`}>
            <h2 id={`topic-${topic}`}>{t(`glossary.topics.${topic}`)}</h2>
            <dl className="glossary-list">
              {entries.map((e) => (
                <div key={e.id} id={`term-${e.id}`} className="glossary-entry">
                  <dt>{e.term[lang]}</dt>
                  <dd>
                    {e.short[lang]}{' '}
                    <a className="term-source" href={e.source.url} target="_blank" rel="noreferrer">
                      {t('glossary.source', { title: e.source.title })}
                    </a>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        )
      })}
    </article>
  )
}
