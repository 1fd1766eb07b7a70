import { useState } from 'react';
import { Button } from 'antd';
import { CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FlowDocument, FlowProblem } from '@contract';
import { localized } from '../../../lib/language';
import { problemPlace } from '../../../lib/flowProblems';
import type { DraftEditor } from './draftEditor';

export type ProblemTab = 'settings' | 'form' | 'flow';

/** The node's or field's name a problem is pinned on, else its path. */
function whereLabel(document: FlowDocument, problem: FlowProblem, language: string): string {
  if (problem.node_id !== undefined) {
    const node = document.nodes.find((n) => n.id === problem.node_id);
    const name = node && 'name' in node ? localized(node.name, language) : '';
    return name || problem.node_id;
  }
  if (problem.field_api_name !== undefined) {
    const field = document.form.find((f) => f.api_name === problem.field_api_name);
    return (field && localized(field.label, language)) || problem.field_api_name;
  }
  return problem.field;
}

/**
 * What publishing would refuse, as the server reported it: counts by place, each problem a button that
 * focuses its node or field and opens the tab it is on.
 */
export default function ProblemsPanel({
  editor,
  onOpen,
}: {
  editor: DraftEditor;
  onOpen: (tab: ProblemTab) => void;
}) {
  const { t, i18n } = useTranslation('consoleFlows');
  const { problems } = editor;
  // On a narrower screen the panel is a bar above the tabs; its list folds away to give the editor room.
  const [listOpen, setListOpen] = useState(true);
  const counts = { settings: 0, form: 0, flow: 0 };
  for (const problem of problems) counts[problemPlace(problem)] += 1;

  return (
    <section className="pf-flow-problems" aria-labelledby="pf-flow-problems-title">
      <div className="pf-flow-problems-line">
        <h2 id="pf-flow-problems-title" className="pf-flow-problems-title">
          {problems.length === 0 ? (
            <CheckCircleOutlined className="pf-flow-ok" aria-hidden />
          ) : (
            <WarningOutlined className="pf-flow-warn" aria-hidden />
          )}{' '}
          {t('problems.title', { count: problems.length })}
        </h2>
        {problems.length > 0 ? (
          <p className="pf-flow-problems-counts">
            {t('problems.counts', { flow: counts.flow, form: counts.form, settings: counts.settings })}
          </p>
        ) : (
          <p className="pf-flow-problems-counts">{t('problems.none')}</p>
        )}
        {problems.length > 0 && (
          <Button
            type="link"
            size="small"
            className="pf-flow-problems-toggle"
            aria-expanded={listOpen}
            aria-controls="pf-flow-problems-list"
            onClick={() => {
              setListOpen(!listOpen);
            }}
          >
            {listOpen ? t('problems.hideList') : t('problems.showList')}
          </Button>
        )}
      </div>
      {problems.length > 0 && (
        <div id="pf-flow-problems-list" className="pf-flow-problems-list-box" hidden={!listOpen}>
          <ul className="pf-flow-problems-list">
            {problems.map((problem, index) => {
              const place = problemPlace(problem);
              const where = whereLabel(editor.document, problem, i18n.language);
              const focused =
                editor.focus !== null &&
                ((problem.node_id !== undefined && editor.focus.nodeId === problem.node_id) ||
                  (problem.field_api_name !== undefined &&
                    editor.focus.fieldApiName === problem.field_api_name));
              return (
                <li key={`${problem.field}-${index}`}>
                  <Button
                    type="text"
                    className={`pf-flow-problem${focused ? ' pf-flow-problem-focused' : ''}`}
                    aria-current={focused ? 'true' : undefined}
                    onClick={() => {
                      editor.setFocus({
                        ...(problem.node_id !== undefined ? { nodeId: problem.node_id } : {}),
                        ...(problem.field_api_name !== undefined
                          ? { fieldApiName: problem.field_api_name }
                          : {}),
                      });
                      onOpen(place);
                    }}
                  >
                    <span className="pf-flow-problem-place">{t(`problems.place.${place}`)}</span>
                    <span className="pf-flow-problem-where">{where}</span>
                    <span className="pf-flow-problem-text">{problem.description}</span>
                  </Button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
