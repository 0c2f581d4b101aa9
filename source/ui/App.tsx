import { Box, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConsoleActions } from '../actions/types.js';
import {
  DEFAULT_MAX_BEHIND_SECONDS,
  DEFAULT_QUIET_SECONDS,
  flowName,
  type RunbookOptions,
  readyToStopMirror,
} from '../model/runbook.js';
import type { SnapshotFeed } from '../monitor/feed.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import { type ClockNeeds, clockMustTick } from './clock.js';
import { Line } from './components/Line.js';
import { appendEvents, type ConsoleEvent, type EventLevel, healthEvents, refusalEvents } from './events.js';
import { Footer, NOTICE_MS, type Notice } from './Footer.js';
import { glyphsFor } from './glyphs.js';
import { Header, headerHeight, TabBar } from './Header.js';
import { useNow, useReleasePreviousRender, useTerminalSize } from './hooks.js';
import {
  type Effect,
  initialUiState,
  type KeyContext,
  listState,
  reduceKeys,
  type UiState,
} from './keymap.js';
import { tokenize } from './keys.js';
import { sortOrder } from './lists.js';
import { OverlayView, overlayCapacity } from './Overlays.js';
import { bodyHeight, PaneArea } from './PaneArea.js';
import { isSelectable, paneContent } from './panes/content.js';
import { useCheck } from './useCheck.js';
import { useCutover } from './useCutover.js';

export interface AppProps {
  feed: SnapshotFeed;
  actions: ConsoleActions;
  readOnly: boolean;
  color: boolean;
  /** Terminal size overrides (tests); otherwise read from stdout and followed on resize. */
  rows?: number;
  columns?: number;
  onQuit: () => void;
  /** `flows`: how many MM2 flows `f` cycles through (the header says so when more than one). */
  header?: { origin: string; flows?: number };
  /** ASCII symbols instead of ✓ ✗ ≠ ↻ (terminals without UTF-8). */
  ascii?: boolean;
  /** Clock for ages (tests); Date.now by default. */
  now?: () => number;
  /** The runbook's thresholds and groups (the Cutover pane, S). */
  cutover?: RunbookOptions;
}

const DEFAULT_CUTOVER: RunbookOptions = {
  maxBehindSeconds: DEFAULT_MAX_BEHIND_SECONDS,
  quietSeconds: DEFAULT_QUIET_SECONDS,
};

/** Below this the layout cannot show a header, a list and the footer. */
const MIN_ROWS = 8;
const MIN_COLUMNS = 30;
/** Tab bar and footer. */
const FIXED_LINES = 2;

function errorText(error: unknown): string {
  return escapeForTerminal(error instanceof Error ? error.message : String(error));
}

export function App(props: AppProps) {
  const { feed, actions, readOnly, color, onQuit } = props;
  const clock = props.now ?? Date.now;
  const size = useTerminalSize(props.rows, props.columns);
  const glyphs = glyphsFor(props.ascii ?? false);

  // The first snapshot arrives through the subscription effect, never as the initial state: the
  // callbacks created at mount (log, keys, the subscription) live all session and keep their render's
  // scope, so a snapshot in it would be held, with every group and partition, until the console quits.
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [events, setEvents] = useState<ConsoleEvent[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [paused, setPaused] = useState(() => feed.isPaused());
  const [ui, setUi] = useState<UiState>(initialUiState);

  // Keys and async results update the UI state through this ref, so a chunk of several keys and a
  // promise resolving between renders both start from the newest state.
  const uiRef = useRef(ui);
  const mounted = useRef(true);
  const snapshotSeenAt = useRef<number | null>(null);

  const updateUi = useCallback((change: (state: UiState) => UiState) => {
    uiRef.current = change(uiRef.current);
    setUi(uiRef.current);
  }, []);

  const log = useCallback(
    (level: EventLevel, text: string, show = false) => {
      if (!mounted.current) return;
      const atMs = clock();
      setEvents((current) => appendEvents(current, [{ level, text }], atMs));
      if (show) setNotice({ level, text, atMs });
    },
    [clock],
  );

  useEffect(() => {
    mounted.current = true;
    let previous: Snapshot['health'] | null = null;
    let refused: ReadonlyMap<string, string> | undefined;
    const take = (s: Snapshot) => {
      snapshotSeenAt.current = clock();
      const changes = [
        ...healthEvents(previous, s.health, clock()),
        ...refusalEvents(refused, s.mirror.refusedTopics),
      ];
      previous = s.health;
      refused = s.mirror.refusedTopics;
      if (changes.length > 0) setEvents((current) => appendEvents(current, changes, clock()));
    };
    const first = feed.current();
    if (first) {
      setSnapshot(first);
      take(first);
    }
    const unsubscribe = feed.subscribe((s) => {
      setSnapshot(s);
      take(s);
    });
    return () => {
      mounted.current = false;
      unsubscribe();
    };
  }, [feed, clock]);

  useReleasePreviousRender(snapshot);

  const { check, start: startCheck, stop: stopCheck } = useCheck(actions, log);
  const clockNeeds: ClockNeeds = {
    snapshot,
    snapshotSeenAtMs: snapshotSeenAt.current,
    noticeUntilMs: notice ? notice.atMs + NOTICE_MS : null,
    checkRunning: check.running,
  };
  const nowMs = useNow(clock, 1000, (t) => clockMustTick(clockNeeds, t), snapshot);
  const cutoverOptions = props.cutover ?? DEFAULT_CUTOVER;
  const runbookShown = ui.pane === 'cutover' || ui.overlay?.kind === 'mirror';
  const cutover = useCutover(actions, snapshot, cutoverOptions, log, runbookShown);
  const book = runbookShown ? cutover() : null;

  const tiny = size.rows < MIN_ROWS || size.columns < MIN_COLUMNS;
  const headerLines = headerHeight(size.rows);
  // The whole frame stays at most rows − 1 lines: a frame as tall as the terminal makes Ink clear the screen.
  const paneHeight = Math.max(1, size.rows - 1 - headerLines - FIXED_LINES);
  const width = size.columns;

  // Only the Mirror pane's lines hold ages; the other lists need not be rebuilt on every clock tick.
  const contentNow = ui.pane === 'mirror' ? nowMs : 0;
  const content = useMemo(
    () =>
      paneContent({
        ui,
        snapshot,
        check: check.progress,
        events,
        nowMs: contentNow,
        width,
        paneHeight,
        glyphs,
        runbook: book,
      }),
    [ui, snapshot, check.progress, events, contentNow, width, paneHeight, glyphs, book],
  );

  const ctx: KeyContext = {
    list: {
      id: content.id,
      rows: content.rows,
      height: bodyHeight(content, paneHeight),
      selectable: isSelectable(content.id),
    },
    readOnly,
    mirror: actions.mirror,
    cutover: snapshot
      ? {
          flow: flowName(snapshot),
          readyToStop: () => {
            const current = cutover();
            return current !== null && readyToStopMirror(current);
          },
        }
      : null,
    checkRunning: check.running,
    overlayHeight: overlayCapacity(ui.overlay, paneHeight),
  };
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;

  const runEffect = (effect: Effect) => {
    switch (effect.type) {
      case 'quit':
        stopCheck();
        onQuit();
        return;
      case 'refresh':
        feed.refreshNow();
        log('info', 'refresh requested', true);
        return;
      case 'toggle-pause': {
        feed.setPaused(!feed.isPaused());
        const now = feed.isPaused();
        setPaused(now);
        log(
          'info',
          now ? 'paused: the screen keeps the last snapshot (p resumes)' : 'resumed refreshing',
          true,
        );
        return;
      }
      case 'next-flow': {
        if (!feed.nextFlow || (feed.flowCount ?? 1) < 2) {
          log('info', 'f: one MM2 flow only (several: mm2.properties, --cluster, lab --flows both)', true);
          return;
        }
        log('info', `flow ${escapeForTerminal(feed.nextFlow())}: panes keep their place`, true);
        return;
      }
      case 'plan-topics':
        actions.planMissingTopics().then(
          (plan) => {
            if (!mounted.current) return;
            updateUi((s) =>
              s.overlay?.kind === 'create-topics' && s.overlay.status === 'planning'
                ? { ...s, overlay: { ...s.overlay, status: 'ready', plan } }
                : s,
            );
            log('info', `create topics: ${plan.length} missing on the target`);
            // In full here: the dialog's line may cut the broker's reason short.
            for (const t of plan)
              if (t.refused !== undefined)
                log(
                  'warn',
                  `create topics: the target refuses ${escapeForTerminal(t.target)}: ${escapeForTerminal(t.refused)}`,
                );
          },
          (error: unknown) => {
            if (!mounted.current) return;
            const message = errorText(error);
            updateUi((s) =>
              s.overlay?.kind === 'create-topics'
                ? { ...s, overlay: { ...s.overlay, status: 'failed', error: message } }
                : s,
            );
            log('error', `create topics: planning failed: ${message}`);
          },
        );
        return;
      case 'create-topics': {
        const names = effect.plan.map((t) => escapeForTerminal(t.target)).join(', ');
        log('info', `create topics: creating ${effect.plan.length} on the target: ${names}`, true);
        actions.createTopics(effect.plan).then(
          (outcomes) => {
            for (const o of outcomes)
              log(o.ok ? 'ok' : 'error', `create topics: ${escapeForTerminal(o.message)}`, true);
            feed.refreshNow();
          },
          (error: unknown) => log('error', `create topics: failed: ${errorText(error)}`, true),
        );
        return;
      }
      case 'mirror': {
        const control = actions.mirror;
        if (!control) return;
        const description = effect.op === 'stop' ? control.describeStop() : control.describeResume();
        log('info', `${effect.op} mirror: ${escapeForTerminal(description)}`, true);
        (effect.op === 'stop' ? control.stop() : control.resume()).then(
          (o) => {
            log(o.ok ? 'ok' : 'error', `${effect.op} mirror: ${escapeForTerminal(o.message)}`, true);
            feed.refreshNow();
          },
          (error: unknown) => log('error', `${effect.op} mirror: failed: ${errorText(error)}`, true),
        );
        return;
      }
      case 'start-check':
        startCheck(effect.cluster, effect.topic);
        return;
      case 'stop-check':
        stopCheck();
        log('info', 'check: stop requested', true);
        return;
      case 'log':
        log(effect.level, effect.text, true);
        return;
    }
  };
  const runEffectRef = useRef(runEffect);
  runEffectRef.current = runEffect;

  const onInput = useCallback(
    (input: string, key: Parameters<typeof tokenize>[1]) => {
      const tokens = tokenize(input, key);
      if (tokens.length === 0) return;
      const result = reduceKeys(uiRef.current, tokens, ctxRef.current);
      if (result.state !== uiRef.current) updateUi(() => result.state);
      for (const effect of result.effects) runEffectRef.current(effect);
    },
    [updateUi],
  );
  useInput(onInput);

  if (tiny) {
    return (
      <Box width={width} height={Math.max(1, size.rows - 1)}>
        <Line
          segments={[
            { text: `mirrorwatch: the terminal is too small (${width}×${size.rows}); q quits`, tone: 'warn' },
          ]}
          color={color}
        />
      </Box>
    );
  }

  const frame = { width, color, glyphs };
  const drilled =
    ui.pane === 'topics' ? ui.drill.topic !== null : ui.pane === 'groups' && ui.drill.group !== null;
  // Clipped vertically only: every Line is already cut to the width, and a horizontal clip makes Ink
  // measure and re-slice every line of every frame (a third of its output time on a wide terminal).
  return (
    <Box flexDirection="column" width={width} height={size.rows - 1}>
      <Box flexDirection="column" height={headerLines} overflowY="hidden">
        <Header
          snapshot={snapshot}
          nowMs={nowMs}
          width={width}
          color={color}
          glyphs={glyphs}
          origin={props.header?.origin ?? null}
          flows={props.header?.flows ?? 1}
          lines={headerLines}
        />
      </Box>
      <TabBar
        pane={ui.pane}
        snapshot={snapshot}
        paused={paused}
        readOnly={readOnly}
        intervalMs={feed.intervalMs}
        width={width}
        color={color}
      />
      <Box flexDirection="column" height={paneHeight} overflowY="hidden">
        {ui.overlay && ui.overlay.kind !== 'filter' ? (
          <OverlayView
            overlay={ui.overlay}
            snapshot={snapshot}
            runbook={book}
            width={width}
            height={paneHeight}
            color={color}
            glyphs={glyphs}
          />
        ) : (
          <PaneArea
            content={content}
            ui={ui}
            snapshot={snapshot}
            check={check.progress}
            paneHeight={paneHeight}
            nowMs={nowMs}
            frame={frame}
            cutoverOptions={cutoverOptions}
          />
        )}
      </Box>
      <Footer
        pane={ui.pane}
        drilled={drilled}
        overlay={ui.overlay}
        currentFilter={ui.overlay?.kind === 'filter' ? listState(ui, ui.overlay.list).filter : ''}
        sortOrder={sortOrder(content.id, ui.lists[content.id])}
        readOnly={readOnly}
        checkRunning={check.running}
        notice={notice}
        nowMs={nowMs}
        color={color}
        glyphs={glyphs}
      />
    </Box>
  );
}
