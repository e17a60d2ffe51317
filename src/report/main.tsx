import { render } from 'preact';
import { extensionClient } from '../ui/extension-client';
import { ReportApp } from './ReportApp';
import '../ui/ui.css';
import './report.css';

const root = document.getElementById('app');
if (!root) throw new Error('report: #app is missing from index.html');
render(<ReportApp client={extensionClient()} />, root);
