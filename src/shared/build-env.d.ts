/** Replaced at build time by vite.config.ts. */
declare const __MOODLENS_TARGET__: 'chrome' | 'firefox';
/** True in the development flavour (npm start, browser tests). */
declare const __MOODLENS_DEV__: boolean;
