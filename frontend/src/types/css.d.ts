/** Stylesheets imported on demand (a lazily loaded chart brings its own). */
declare module '*.css';
