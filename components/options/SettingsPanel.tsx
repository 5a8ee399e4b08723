import type { Settings, SettingsPatch, SiteKey, Theme, UiLanguage } from '../../utils/favorites/types';
import { t } from '../../utils/i18n';

const SITES: { key: SiteKey; name: string; host: string }[] = [
  { key: 'arxiv', name: 'arXiv', host: 'arxiv.org' },
  { key: 'acl', name: 'ACL Anthology', host: 'aclanthology.org' },
  { key: 'github', name: 'GitHub', host: 'github.com' },
];

// Language names are written in their own language so a reader who landed in the
// wrong one can still find theirs.
const LANGUAGES: { value: UiLanguage; label: () => string }[] = [
  { value: 'auto', label: () => t('options_languageAuto') },
  { value: 'en', label: () => 'English' },
  { value: 'zh_CN', label: () => '简体中文' },
];

const THEMES: { value: Theme; label: () => string }[] = [
  { value: 'system', label: () => t('options_themeSystem') },
  { value: 'light', label: () => t('options_themeLight') },
  { value: 'dark', label: () => t('options_themeDark') },
];

/** Every control saves on change; there is no Save button to forget. */
export function SettingsPanel({ settings, onChange }: { settings: Settings; onChange: (patch: SettingsPatch) => void }) {
  return (
    <section class="card" aria-labelledby="settings-h" id="settings">
      <h2 id="settings-h">{t('options_settingsHeading')}</h2>
      <p class="card-lede">{t('options_settingsLede')}</p>

      <fieldset class="field-group">
        <legend>{t('options_sitesLegend')}</legend>
        <p class="hint" id="sites-hint">
          {t('options_sitesHint')}
        </p>
        {SITES.map((s) => (
          <label class="switch-row" key={s.key}>
            <span class="switch-text">
              <span class="switch-label">{s.name}</span>
              <span class="switch-sub">{s.host}</span>
            </span>
            <input
              type="checkbox"
              role="switch"
              class="switch"
              name={`site-${s.key}`}
              aria-describedby="sites-hint"
              checked={settings.sites[s.key]}
              onChange={(e) => onChange({ sites: { [s.key]: e.currentTarget.checked } })}
            />
          </label>
        ))}
      </fieldset>

      <fieldset class="field-group">
        <legend>{t('options_languageLegend')}</legend>
        <div class="segmented">
          {LANGUAGES.map((l) => (
            <label key={l.value} class="segment">
              <input
                type="radio"
                name="language"
                value={l.value}
                checked={settings.language === l.value}
                onChange={() => onChange({ language: l.value })}
              />
              <span lang={l.value === 'zh_CN' ? 'zh-CN' : l.value === 'en' ? 'en' : undefined}>{l.label()}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset class="field-group">
        <legend>{t('options_themeLegend')}</legend>
        <div class="segmented">
          {THEMES.map((th) => (
            <label key={th.value} class="segment">
              <input type="radio" name="theme" value={th.value} checked={settings.theme === th.value} onChange={() => onChange({ theme: th.value })} />
              <span>{th.label()}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset class="field-group">
        <legend>{t('options_toolbarLegend')}</legend>
        <label class="switch-row">
          <span class="switch-text">
            <span class="switch-label">{t('options_badgeLabel')}</span>
            <span class="switch-sub">{t('options_badgeHint')}</span>
          </span>
          <input
            type="checkbox"
            role="switch"
            class="switch"
            name="badge"
            checked={settings.badge}
            onChange={(e) => onChange({ badge: e.currentTarget.checked })}
          />
        </label>
      </fieldset>
    </section>
  );
}
