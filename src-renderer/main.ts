// Renderer entry point: mounts the Svelte app.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing');
mount(App, { target });
