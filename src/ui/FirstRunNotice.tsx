/** What MoodLens is and is not, acknowledged once before first use. */
export function FirstRunNotice({ onAcknowledge }: { onAcknowledge: () => void }) {
  return (
    <section class="notice" role="dialog" aria-labelledby="notice-title" data-testid="first-run-notice">
      <h2 id="notice-title">Before you start</h2>
      <ul>
        <li>
          MoodLens labels the facial expressions of the people in the videos of this tab (angry, disgust,
          fear, happy, sad, surprise, neutral) and keeps a timeline of them.
        </li>
        <li>Everything runs on this device. No frame, face or score leaves your browser.</li>
        <li>
          An expression is not a feeling. The model is often wrong, and it is not reliable for judging any
          individual: do not use it to make decisions about people.
        </li>
        <li>
          The EU AI Act prohibits emotion recognition in workplaces and in education (with narrow medical and
          safety exceptions). Do not use MoodLens there.
        </li>
        <li>
          Tell the people in the call that you are using it. MoodLens shows a notice on the page while it
          runs.
        </li>
      </ul>
      <button type="button" class="primary" data-testid="acknowledge" onClick={onAcknowledge}>
        I understand
      </button>
    </section>
  );
}
