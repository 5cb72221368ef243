"""Scheduling test sessions (*afnames*) and running them on the exam day.

A planner plans a :class:`TestSessionGroup` (*afnamegroep*) of a test
(:class:`Exam`) for candidates (:class:`Candidate`), on paper with the
answer sheets in order (:func:`order_answer_sheets`) or on a computer,
possibly through a school's offline server (:class:`OfflineServer`). On the
exam day the proctor releases the group and hands out its access code;
candidates sign in with their login name and the code and answer; the
proctor follows them on the monitor and closes the group with the session
report. The group's lifecycle is the declared table
:data:`GROUP_LIFECYCLE`, the attempt's :data:`ATTEMPT_LIFECYCLE`, the
offline server's :data:`SERVER_LIFECYCLE` (each an
:class:`examkit.statemachine.StateMachine`).

The use cases are small classes, each reached through its own attribute of
the kit. Planning: :class:`CandidateRegistry` (``kit.candidates``),
:class:`Planning` (``kit.planning``), :class:`PlanningDesk` (``kit.planning_desk``: what the
planner's pages read), :class:`OfflineServerRegistry`
(``kit.offline_servers``), :class:`GroupLifecycle`
(``kit.group_lifecycle``). The exam day: :class:`Sitting` (``kit.sitting``:
candidates signing in and answering), :class:`Proctoring`
(``kit.proctoring``: the monitor) and :class:`SessionReports`
(``kit.session_reports``). The Flemish tests' school desk is
:mod:`examkit.flemish`.

>>> GROUP_LIFECYCLE.move("release", GroupState.PLANNED).target
<GroupState.RELEASED: 'released'>
>>> try:
...     GROUP_LIFECYCLE.move("release", GroupState.CLOSED)
... except TransitionNotAllowed as error:
...     print(error.message("en"))
The move 'release' is not allowed in the state 'closed'; nothing was changed.

Implements SCH-1 to SCH-7, AUTH-12.
"""

from examkit.scheduling._attempts import (
    Attempt,
    AttemptEvent,
    CandidateSession,
    RecordedResponse,
    ResponseReceipt,
    SavedResponse,
    attempt_id,
    deadline_of,
)
from examkit.scheduling._candidate_file import (
    CANDIDATE_FILE_COLUMNS,
    CANDIDATE_FILE_REQUIRED,
    CandidateRow,
    decode_text,
    detect_delimiter,
    read_candidate_file,
)
from examkit.scheduling._candidates import CandidateRegistry
from examkit.scheduling._codes import (
    ALPHABET,
    CODE_LENGTH,
    code_entropy_bits,
    new_access_code,
    new_login_name,
    normalise_access_code,
)
from examkit.scheduling._common import find_overlap
from examkit.scheduling._group_file import (
    GROUP_FILE_COLUMNS,
    GROUP_FILE_REQUIRED,
    GroupRow,
    read_group_file,
)
from examkit.scheduling._group_lifecycle import GroupLifecycle
from examkit.scheduling._held import (
    groups_held_at,
    groups_held_by,
    refuse_if_group_held,
    refuse_if_held,
)
from examkit.scheduling._lifecycle import (
    ATTEMPT_LIFECYCLE,
    FINAL_ATTEMPT_STATES,
    GROUP_LIFECYCLE,
    AttemptState,
    AttemptTransition,
    GroupState,
    GroupTransition,
    Guard,
    TransitionNotAllowed,
    group_transition,
)
from examkit.scheduling._model import (
    AMSTERDAM,
    MAX_CENTRAL_EXTRA_TIME,
    Candidate,
    Exam,
    Facilities,
    Incident,
    ItemSlot,
    Mode,
    Remark,
    Scoring,
    SessionReport,
    TestSessionGroup,
    TransitionRecord,
)
from examkit.scheduling._offline import (
    SERVER_LIFECYCLE,
    OfflineServer,
    ServerState,
)
from examkit.scheduling._offline_servers import OfflineServerRegistry
from examkit.scheduling._pages import (
    MAX_COUNTER,
    MAX_EPOCH,
    SittingPage,
    SittingRules,
    page_of,
    page_sequence,
)
from examkit.scheduling._paper import AnswerSheetOrder, SheetLine, order_answer_sheets
from examkit.scheduling._planning import Planning
from examkit.scheduling._planning_desk import (
    PLANNING_ACTIONS,
    CandidateDetails,
    GroupDetails,
    PlanningClass,
    PlanningDesk,
    PlanningStaff,
    StaffMember,
)
from examkit.scheduling._proctoring import MAX_EXTRA_MINUTES, Proctoring
from examkit.scheduling._records import (
    CANDIDATES,
    EXAMS,
    OFFLINE_SERVERS,
    SESSION_GROUPS,
    TEST_ATTEMPTS,
    AttemptRecords,
    CandidateRecords,
    ExamRecords,
    OfflineServerRecords,
    SessionGroupRecords,
    group_sort_key,
)
from examkit.scheduling._repository import (
    AttemptRepository,
    CandidateRepository,
    ExamRepository,
    OfflineServerRepository,
    SessionGroupRepository,
    record_response_by_reading,
)
from examkit.scheduling._session_reports import SessionReports
from examkit.scheduling._sitting import CANDIDATE_SIGN_IN, CandidateSignInLimits, Sitting
from examkit.scheduling._views import (
    AccessSlip,
    Attendance,
    GroupImport,
    GroupImportLine,
    Monitor,
    MonitorCandidate,
    MonitorGroup,
    SessionReportData,
    monitor_group,
    seconds_left,
    session_report_data,
)

__all__ = [
    "ALPHABET",
    "AMSTERDAM",
    "ATTEMPT_LIFECYCLE",
    "CANDIDATES",
    "CANDIDATE_FILE_COLUMNS",
    "CANDIDATE_FILE_REQUIRED",
    "CANDIDATE_SIGN_IN",
    "CODE_LENGTH",
    "EXAMS",
    "FINAL_ATTEMPT_STATES",
    "GROUP_FILE_COLUMNS",
    "GROUP_FILE_REQUIRED",
    "GROUP_LIFECYCLE",
    "MAX_CENTRAL_EXTRA_TIME",
    "MAX_COUNTER",
    "MAX_EPOCH",
    "MAX_EXTRA_MINUTES",
    "OFFLINE_SERVERS",
    "PLANNING_ACTIONS",
    "SERVER_LIFECYCLE",
    "SESSION_GROUPS",
    "TEST_ATTEMPTS",
    "AccessSlip",
    "AnswerSheetOrder",
    "Attempt",
    "AttemptEvent",
    "AttemptRecords",
    "AttemptRepository",
    "AttemptState",
    "AttemptTransition",
    "Attendance",
    "Candidate",
    "CandidateDetails",
    "CandidateRecords",
    "CandidateRegistry",
    "CandidateRepository",
    "CandidateRow",
    "CandidateSession",
    "CandidateSignInLimits",
    "Exam",
    "ExamRecords",
    "ExamRepository",
    "Facilities",
    "GroupDetails",
    "GroupImport",
    "GroupImportLine",
    "GroupLifecycle",
    "GroupRow",
    "GroupState",
    "GroupTransition",
    "Guard",
    "Incident",
    "ItemSlot",
    "Mode",
    "Monitor",
    "MonitorCandidate",
    "MonitorGroup",
    "OfflineServer",
    "OfflineServerRecords",
    "OfflineServerRegistry",
    "OfflineServerRepository",
    "Planning",
    "PlanningClass",
    "PlanningDesk",
    "PlanningStaff",
    "Proctoring",
    "RecordedResponse",
    "Remark",
    "ResponseReceipt",
    "SavedResponse",
    "Scoring",
    "ServerState",
    "SessionGroupRecords",
    "SessionGroupRepository",
    "SessionReport",
    "SessionReportData",
    "SessionReports",
    "SheetLine",
    "Sitting",
    "SittingPage",
    "SittingRules",
    "StaffMember",
    "TestSessionGroup",
    "TransitionNotAllowed",
    "TransitionRecord",
    "attempt_id",
    "code_entropy_bits",
    "deadline_of",
    "decode_text",
    "detect_delimiter",
    "find_overlap",
    "group_sort_key",
    "group_transition",
    "groups_held_at",
    "groups_held_by",
    "monitor_group",
    "new_access_code",
    "new_login_name",
    "normalise_access_code",
    "order_answer_sheets",
    "page_of",
    "page_sequence",
    "read_candidate_file",
    "read_group_file",
    "record_response_by_reading",
    "refuse_if_group_held",
    "refuse_if_held",
    "seconds_left",
    "session_report_data",
]
