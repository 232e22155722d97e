// GET /api/v1/me/duties: what the signed-in person must do now (src/http/routes/my-duties.ts).
import { get } from '../../api/client';
import type { MyDutiesResponse, MyDuty } from '../../../../src/http/routes/my-duties.js';

export type { MyDuty, MyDutiesResponse };

export const fetchMyDuties = () => get<MyDutiesResponse>('/me/duties', { quiet: true });
