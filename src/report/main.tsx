import { render } from 'preact';
import { extensionClient } from '../popup/extension-client';
import { ReportApp } from './ReportApp';
import '../popup/popup.css';
import './report.css';

const root = document.getElementById('app');
if (!root) throw new Error('report: #app is missing from index.html');
render(<ReportApp client={extensionClient()} />, root);
